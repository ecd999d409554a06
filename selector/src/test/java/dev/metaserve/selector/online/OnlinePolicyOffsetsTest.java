package dev.metaserve.selector.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-decision offsets (a node's load now) move the choice without entering the beliefs. */
class OnlinePolicyOffsetsTest {
    private final TaskProfile task = Fixtures.embedding();
    private final Candidate a = Fixtures.candidate("a", Fixtures.FP32);
    private final Candidate b = Fixtures.candidate("b", Fixtures.FP32);

    private OnlinePolicy greedy() {
        return new OnlinePolicy(FlatPrior.INSTANCE, "flat", OnlinePolicySettings.defaults()
                .withExploration(Exploration.GREEDY).withExplorationFloor(0), new Fixtures.ManualClock(), 1);
    }

    @Test
    void aBusyNodesOffsetSendsTheRequestToTheOtherWhileTheBeliefsStayAsLearnt() {
        OnlinePolicy policy = greedy();
        for (int i = 0; i < 10; i++) {
            policy.observe(task, a, 10);  // a: 10 ms when idle
            policy.observe(task, b, 15);  // b: 15 ms when idle
        }
        assertThat(policy.choose(task, List.of(a, b)).candidate()).isEqualTo(a);
        // a has 3 requests' worth of work queued (factor 4: 40 ms), b none: b now
        Decision busy = policy.choose(task, List.of(a, b), new double[] {Math.log(4), 0});
        assertThat(busy.candidate()).isEqualTo(b);
        // the offset was for that decision only
        assertThat(policy.choose(task, List.of(a, b)).candidate()).isEqualTo(a);
    }

    @Test
    void aLoadIsToldTheLatencyExpectedSoALongRequestIsNotScaredOffByShortWork() {
        OnlinePolicy policy = greedy();
        for (int i = 0; i < 10; i++) {
            policy.observe(task, a, 10);
            policy.observe(task, b, 15);
        }
        // processor sharing: a request waits for each call in hand up to its own length; a has a 100 ms call, b a 2 ms
        double[] told = new double[2];
        double[] inHandMs = {100, 2};
        Load load = (i, expectedMs) -> {
            told[i] = expectedMs;
            return 1 + Math.min(inHandMs[i], expectedMs) / expectedMs;
        };

        Decision decision = policy.choose(task, List.of(a, b), load);

        assertThat(told[0]).isCloseTo(10, within(0.5));
        assertThat(told[1]).isCloseTo(15, within(0.75));
        // a: 10 ms doubled to 20; b: 15 + 2 = 17 ms
        assertThat(decision.candidate()).isEqualTo(b);
        assertThat(decision.loadFactor()).isCloseTo(17.0 / 15, within(0.01));
        assertThat(decision.expectedIdleLatencyMs()).isCloseTo(told[1], within(1e-9));
        assertThatThrownBy(() -> policy.choose(task, List.of(a, b), (i, expectedMs) -> Double.NaN))
                .hasMessageContaining("load factor");
    }

    @Test
    void offsetsMustFitTheCandidates() {
        OnlinePolicy policy = greedy();
        assertThatThrownBy(() -> policy.choose(task, List.of(a, b), new double[] {0}))
                .hasMessageContaining("1 offsets for 2 candidates");
        assertThatThrownBy(() -> policy.choose(task, List.of(a, b), new double[] {0, Double.NaN}))
                .hasMessageContaining("finite");
    }

    @Test
    void withPlansPerNodeOnlyEachNodesFavouredPlansAreChosen() {
        Candidate aBatched = Fixtures.candidate("a", Fixtures.FP32_BATCHED);
        Candidate bBatched = Fixtures.candidate("b", Fixtures.FP32_BATCHED);
        // the model favours unbatched fp32 on every node
        PriorSource priors = (t, c) -> new Estimate(c.plan().equals(Fixtures.FP32) ? 0 : 1, 0.1, 0);
        List<Candidate> all = List.of(a, aBatched, b, bBatched);
        for (int plansPerNode : new int[] {0, 1}) {
            OnlinePolicy policy = new OnlinePolicy(priors, "m", OnlinePolicySettings.defaults()
                    .withExploration(Exploration.GREEDY).withExplorationFloor(0).withPlansPerNode(plansPerNode),
                    new Fixtures.ManualClock(), 1);
            for (int i = 0; i < 30; i++) {
                policy.observe(task, aBatched, 1);   // live evidence: batched on a is far faster
                policy.observe(task, a, 100);
                policy.observe(task, b, 100);
                policy.observe(task, bBatched, 100);
            }
            Candidate chosen = policy.choose(task, all).candidate();
            if (plansPerNode == 0) {
                assertThat(chosen).isEqualTo(aBatched);
            } else {
                assertThat(chosen).as("only each node's favoured plan is open").isIn(a, b);
            }
        }
        assertThatThrownBy(() -> OnlinePolicySettings.defaults().withPlansPerNode(-1))
                .hasMessageContaining("plans per node");
    }
}
