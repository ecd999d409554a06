package dev.metaserve.selector.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The policy learns from served requests how a node's load slows a task class there. */
class OnlinePolicyLoadElasticityTest {
    private final TaskProfile task = Fixtures.embedding();
    private final Candidate fast = Fixtures.candidate("fast", Fixtures.FP32);
    private final Candidate slow = Fixtures.candidate("slow", Fixtures.FP32);
    private final List<Candidate> both = List.of(fast, slow);

    private OnlinePolicy greedy(double elasticityPseudoCount) {
        return new OnlinePolicy(FlatPrior.INSTANCE, "flat", OnlinePolicySettings.defaults()
                .withExploration(Exploration.GREEDY).withExplorationFloor(0)
                .withLoadElasticity(1, elasticityPseudoCount), new Fixtures.ManualClock(), 1);
    }

    /**
     * "fast" takes 50 ms idle and, like a batching node, hardly slows with its load factor (latency grows with its
     * 0.1th power); "slow" takes 150 ms and is idle. Traffic sends the fast node a load factor of 1 to 5.
     *
     * @return the policy's decision when the fast node's load factor is 5 after that traffic
     */
    private Decision decisionUnderLoadAfterTraffic(OnlinePolicy policy) {
        SplittableRandom random = new SplittableRandom(3);
        Fixtures.Noise noise = new Fixtures.Noise(5, 0.05);
        for (int i = 0; i < 600; i++) {
            double fastLoad = 1 + random.nextInt(5);
            Decision d = policy.choose(task, both, (index, expectedMs) -> index == 0 ? fastLoad : 1);
            double latency = d.candidate().equals(fast) ? 50 * Math.pow(fastLoad, 0.1) : 150;
            policy.observe(d, noise.around(latency));
        }
        return policy.choose(task, both, (index, expectedMs) -> index == 0 ? 5 : 1);
    }

    @Test
    void aNodeWhoseLoadHardlySlowsTheClassKeepsGettingItUnderLoadAndItsIdleLatencyIsKnown() {
        OnlinePolicy learning = greedy(2);
        Decision underLoad = decisionUnderLoadAfterTraffic(learning);
        assertThat(underLoad.candidate()).isEqualTo(fast);
        assertThat(underLoad.loadElasticity()).isCloseTo(0.1, within(0.1));
        assertThat(learning.snapshot().taskClasses().get(0).loadElasticity().get("fast"))
                .isEqualTo(underLoad.loadElasticity());
        assertThat(underLoad.expectedIdleLatencyMs()).isCloseTo(50, within(5.0));

        // taking latency as proportional to the load factor, what was served under load looked like a far faster
        // idle node than there is
        Decision proportional = decisionUnderLoadAfterTraffic(greedy(Double.POSITIVE_INFINITY));
        assertThat(proportional.loadElasticity()).isEqualTo(1);
        assertThat(proportional.expectedIdleLatencyMs()).isLessThan(30);
    }

    @Test
    void aRequestServedOutsideADecisionHasTheLoadTakenOutAsLearnt() {
        OnlinePolicy proportional = greedy(Double.POSITIVE_INFINITY);
        for (int i = 0; i < 20; i++) {
            proportional.observe(task, fast, 40, 4); // 40 ms under a load factor of 4: 10 ms idle
            proportional.observe(task, slow, 12);
        }
        Decision d = proportional.choose(task, both);
        assertThat(d.candidate()).isEqualTo(fast);
        assertThat(d.expectedIdleLatencyMs()).isCloseTo(10, within(0.5));
        assertThat(d.loadFactor()).isEqualTo(1);
        assertThat(d.loadElasticity()).isEqualTo(1);
    }

    @Test
    void aClassNewToANodeStartsFromWhatTheNodesOtherClassesShowed() {
        OnlinePolicy policy = greedy(2);
        decisionUnderLoadAfterTraffic(policy);
        TaskProfile other = Fixtures.embedding(512, 0);
        Decision first = policy.choose(other, both, (index, expectedMs) -> index == 0 ? 5 : 1);
        assertThat(first.taskClass()).isNotEqualTo(policy.choose(task, both).taskClass());
        assertThat(policy.choose(other, List.of(fast), (index, expectedMs) -> 5).loadElasticity())
                .as("the fast node's elasticity, learnt on the other class").isCloseTo(0.1, within(0.15));
    }
}
