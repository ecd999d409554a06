package dev.metaserve.selector.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The policy learns from served requests how a node's load slows a task class there, per batching. */
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
        assertThat(learning.snapshot().taskClasses().get(0).loadElasticity().get("fast batching=none"))
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

    /**
     * On one node, a batching plan hardly slows with load (latency grows with the factor's 0.2th power) while the plain
     * plan queues (in proportion). The plain plan is then served only behind a queue of 40, under named requests: its
     * requests carry no slope of their own, so what they teach of its idle latency rests on the slope it is given.
     */
    @Test
    void aPlainPlanServedBehindAQueueIsNotTaughtTheBatchingPlansSlope() {
        OnlinePolicy policy = greedy(2);
        Candidate batched = Fixtures.candidate("fast", Fixtures.FP32_BATCHED);
        Candidate plain = fast;
        SplittableRandom random = new SplittableRandom(5);
        Fixtures.Noise noise = new Fixtures.Noise(7, 0.05);
        for (int i = 0; i < 400; i++) {
            double load = 1 + random.nextInt(8);
            policy.observe(task, batched, noise.around(20 * Math.pow(load, 0.2)), load);
        }
        for (int i = 0; i < 40; i++) {
            policy.observe(task, plain, noise.around(5 * 40), 40); // 5 ms idle, behind 39 others
        }
        Decision d = policy.choose(task, List.of(plain));
        assertThat(d.loadElasticity()).as("the plain plan's slope: its node's prior, not the batching plan's")
                .isCloseTo(1, within(0.05));
        assertThat(d.expectedIdleLatencyMs()).isCloseTo(5, within(1.0));
        assertThat(policy.choose(task, List.of(batched)).loadElasticity()).isCloseTo(0.2, within(0.1));
        assertThat(policy.snapshot().taskClasses().get(0).loadElasticity())
                .containsOnlyKeys("fast batching=none", "fast batching=" + Fixtures.FP32_BATCHED.batching());
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
