package dev.metaserve.selector.online;

import static dev.metaserve.selector.online.Fixtures.FP32;
import static dev.metaserve.selector.online.Fixtures.INT8;
import static dev.metaserve.selector.online.Fixtures.candidate;
import static dev.metaserve.selector.online.Fixtures.embedding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.metaserve.accelerators.Precision;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Priors: the quality gate, consulting the source once per pair, and swapping the model while serving. */
class OnlinePolicyPriorsTest {
    private final Fixtures.ManualClock clock = new Fixtures.ManualClock();
    private final Candidate fp32 = candidate("node-a", FP32);
    private final Candidate int8 = candidate("node-a", INT8);
    private final List<Candidate> both = List.of(fp32, int8);

    /** INT8 loses 0.05 of quality; nothing else is known. */
    private static final PriorSource INT8_LOSES = (task, c) ->
            new Estimate(0, 16, c.plan().precision() == Precision.INT8 ? 0.05 : 0);

    private static OnlinePolicySettings greedy() {
        return OnlinePolicySettings.defaults().withExploration(Exploration.GREEDY).withExplorationFloor(0);
    }

    /** A tight prior that believes {@code best} is e-times faster than the others. */
    private static PriorSource believing(Candidate best) {
        return (task, c) -> new Estimate(c.equals(best) ? 0 : 1, 1e-4, 0);
    }

    @Test
    void candidatesBeyondTheQualityToleranceAreNeverChosen() {
        OnlinePolicy policy = new OnlinePolicy(INT8_LOSES, "v1",
                OnlinePolicySettings.defaults().withExplorationFloor(0.2), clock, 3);
        TaskProfile strict = embedding(32, 0.01);
        for (int i = 0; i < 50; i++) {
            policy.observe(strict, int8, 2.0); // INT8 is much faster...
            policy.observe(strict, fp32, 20.0);
        }
        for (int i = 0; i < 2000; i++) {
            Decision d = policy.choose(strict, both);
            assertThat(d.candidate()).isEqualTo(fp32); // ...but beyond this task's tolerance
            assertThat(d.withinTolerance()).isTrue();
            clock.advanceMillis(5);
        }
        TaskProfile lenient = embedding(32, 0.1);
        int int8Chosen = 0;
        for (int i = 0; i < 100; i++) {
            int8Chosen += policy.choose(lenient, both).candidate().equals(int8) ? 1 : 0;
        }
        assertThat(int8Chosen).as("INT8 chosen once the tolerance allows it").isGreaterThan(80);
    }

    @Test
    void whenNoCandidateIsWithinToleranceTheLeastLossyOnesAreChosen() {
        PriorSource allLose = (task, c) -> new Estimate(0, 16, c.plan().precision() == Precision.INT8 ? 0.05 : 0.02);
        OnlinePolicy policy = new OnlinePolicy(allLose, "v1", OnlinePolicySettings.defaults(), clock, 3);
        for (int i = 0; i < 200; i++) {
            Decision d = policy.choose(embedding(32, 0.001), both);
            assertThat(d.candidate()).isEqualTo(fp32);
            assertThat(d.withinTolerance()).isFalse();
        }
    }

    @Test
    void thePriorSourceIsConsultedOncePerTaskClassAndCandidate() {
        AtomicInteger asked = new AtomicInteger();
        PriorSource counting = (task, c) -> {
            asked.incrementAndGet();
            return new Estimate(0, 1, 0);
        };
        OnlinePolicy policy = new OnlinePolicy(counting, "v1", OnlinePolicySettings.defaults(), clock, 3);
        for (int i = 0; i < 100; i++) {
            policy.choose(embedding(30 + i % 3, 0.01), both); // 30-32 tokens: one class
            policy.choose(embedding(300, 0.01), List.of(fp32, int8)); // another class, a new list of the same
        }
        assertThat(asked).hasValue(4);

        AtomicInteger askedNext = new AtomicInteger();
        policy.replacePriors((task, c) -> {
            askedNext.incrementAndGet();
            return new Estimate(0, 1, 0);
        }, "v2");
        assertThat(askedNext).as("all held pairs computed by the swap itself").hasValue(4);
        for (int i = 0; i < 100; i++) {
            policy.choose(embedding(32, 0.01), both);
        }
        assertThat(askedNext).hasValue(4);
        assertThat(asked).hasValue(4);
    }

    @Test
    void replacedPriorsAreSeenByTheNextDecision() {
        OnlinePolicy policy = new OnlinePolicy(believing(fp32), "v1", greedy(), clock, 3);
        TaskProfile task = embedding();
        assertThat(policy.choose(task, both).candidate()).isEqualTo(fp32);

        policy.replacePriors(believing(int8), "v2");

        Decision next = policy.choose(task, both);
        assertThat(next.candidate()).isEqualTo(int8);
        assertThat(next.modelVersion()).isEqualTo("v2");
        assertThat(policy.modelVersion()).isEqualTo("v2");
        assertThat(policy.snapshot().modelVersion()).isEqualTo("v2");
    }

    @Test
    void replacingPriorsKeepsLiveEvidence() {
        PriorSource unsure = (task, c) -> new Estimate(0, 1, 0);
        OnlinePolicy policy = new OnlinePolicy(unsure, "v1", greedy(), clock, 3);
        TaskProfile task = embedding(32, 0.1);
        for (int i = 0; i < 30; i++) {
            policy.observe(task, fp32, 10);
            policy.observe(task, int8, 40);
        }
        Decision before = policy.choose(task, both);
        assertThat(before.candidate()).isEqualTo(fp32);

        // the new model mildly prefers INT8; the evidence says it is 4x slower here
        policy.replacePriors((t, c) -> new Estimate(c.equals(int8) ? -0.3 : 0, 1, 0), "v2");

        Decision after = policy.choose(task, both);
        assertThat(after.candidate()).isEqualTo(fp32);
        assertThat(after.posteriorMean()).isCloseTo(before.posteriorMean(), offset(0.05));
        assertThat(policy.snapshot().observations()).isEqualTo(60);
    }

    @Test
    void aNewSourceThatFailsLeavesTheCurrentModelInService() {
        OnlinePolicy policy = new OnlinePolicy(believing(fp32), "v1", greedy(), clock, 3);
        policy.choose(embedding(), both);

        assertThatThrownBy(() -> policy.replacePriors((t, c) -> {
            throw new IllegalStateException("broken model");
        }, "v2")).hasMessage("broken model");

        assertThat(policy.modelVersion()).isEqualTo("v1");
        assertThat(policy.choose(embedding(), both).candidate()).isEqualTo(fp32);
    }

    @Test
    void aSourceThatGivesNoEstimateIsNamedInTheError() {
        OnlinePolicy policy = new OnlinePolicy((t, c) -> null, "v1", greedy(), clock, 3);
        assertThatThrownBy(() -> policy.choose(embedding(), both))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gave no estimate for node-a | batching=none,precision=fp32");
    }
}
