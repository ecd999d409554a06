package dev.metaserve.selector.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one plan of a node shows moves the node's other plans: evidence is shared within a node. */
class OnlinePolicyNodeLevelTest {
    private final TaskProfile task = Fixtures.embedding();
    private final Candidate a = Fixtures.candidate("a", Fixtures.FP32);
    private final Candidate aBatched = Fixtures.candidate("a", Fixtures.FP32_BATCHED);
    private final Candidate b = Fixtures.candidate("b", Fixtures.FP32);
    private final Candidate bBatched = Fixtures.candidate("b", Fixtures.FP32_BATCHED);
    /** The model expects every candidate at 10 ms. */
    private final PriorSource tenMs = (t, c) -> new Estimate(Math.log(10), 0.35 * 0.35, 0);

    private OnlinePolicy greedy(double nodeLevelPseudoCount) {
        return new OnlinePolicy(tenMs, "m", OnlinePolicySettings.defaults().withExploration(Exploration.GREEDY)
                .withExplorationFloor(0).withNodeLevelPseudoCount(nodeLevelPseudoCount), new Fixtures.ManualClock(), 1);
    }

    private void measureUnbatched(OnlinePolicy policy) {
        for (int i = 0; i < 20; i++) {
            policy.observe(task, a, 40);
            policy.observe(task, b, 10);
        }
    }

    /**
     * Posterior mean of an unmeasured candidate, in ms, after node a's unbatched plan ran at 40 ms and b's at 10. The
     * measured candidates are offered too (levels are learnt from the candidates of a decision), with offsets that
     * keep them from being chosen.
     */
    private double expectedMs(OnlinePolicy policy, Candidate unmeasured) {
        measureUnbatched(policy);
        return Math.exp(policy.choose(task, List.of(unmeasured, a, b), new double[] {0, 50, 50}).posteriorMean());
    }

    @Test
    void aNodeFoundSlowOnOnePlanIsExpectedSlowOnItsOthers() {
        double aBatchedMs = expectedMs(greedy(4), aBatched);
        double bBatchedMs = expectedMs(greedy(4), bBatched);

        // 20 observations against a pseudo-count of 4: most of the way to the node's own level
        assertThat(aBatchedMs).isGreaterThan(30);
        assertThat(bBatchedMs).isLessThan(13);
        OnlinePolicy policy = greedy(4);
        measureUnbatched(policy);
        assertThat(policy.choose(task, List.of(aBatched, bBatched, a, b), new double[] {0, 0, 50, 50}).candidate())
                .isEqualTo(bBatched);
    }

    @Test
    void withNodeLevelsOffEveryNodeFollowsTheClassLevel() {
        double aBatchedMs = expectedMs(greedy(Double.POSITIVE_INFINITY), aBatched);
        double bBatchedMs = expectedMs(greedy(Double.POSITIVE_INFINITY), bBatched);

        assertThat(aBatchedMs).isCloseTo(bBatchedMs, within(1e-9));
        // the class as a whole ran at twice the prior (geometric mean of 40 and 10 is 20)
        assertThat(aBatchedMs).isBetween(17.0, 21.0);
    }

    @Test
    void theNodeLevelPseudoCountMustBePositive() {
        assertThatThrownBy(() -> OnlinePolicySettings.defaults().withNodeLevelPseudoCount(0))
                .hasMessageContaining("node level pseudo-count");
        assertThatThrownBy(() -> OnlinePolicySettings.defaults().withNodeLevelPseudoCount(Double.NaN))
                .hasMessageContaining("node level pseudo-count");
    }
}
