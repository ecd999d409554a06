package dev.metaserve.selector.online;

import static dev.metaserve.selector.online.Fixtures.FP32;
import static dev.metaserve.selector.online.Fixtures.candidate;
import static dev.metaserve.selector.online.Fixtures.embedding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task classes, scores, and the refusal of bad arguments. */
class OnlinePolicyValuesTest {

    @Test
    void similarSizesShareATaskClassAndDistantOnesDoNot() {
        assertThat(TaskClass.of(embedding(40, 0.01))).isEqualTo(TaskClass.of(embedding(60, 0.5)));
        assertThat(TaskClass.of(embedding(40, 0.01))).isNotEqualTo(TaskClass.of(embedding(400, 0.01)));
        assertThat(TaskClass.of(embedding(64, 0.01)).inputTokensUpTo()).isEqualTo(64);
        assertThat(TaskClass.of(embedding(65, 0.01)).inputTokensUpTo()).isEqualTo(128);
        // the load a request meets is each decision's load factor: a burst must not move a task to a class that knows
        // nothing
        TaskProfile alone = embedding(40, 0.01);
        TaskProfile inABurst = new TaskProfile(alone.model(), alone.taskKind(), alone.inputKind(), alone.inputTokens(),
                alone.outputTokens(), alone.textsPerRequest(), 64, alone.objective(), alone.qualityTolerance());
        assertThat(TaskClass.of(inABurst)).isEqualTo(TaskClass.of(alone));
        assertThat(TaskClass.powerOfTwoAtLeast(0)).isZero();
        assertThat(TaskClass.powerOfTwoAtLeast(1)).isEqualTo(1);
        assertThat(TaskClass.powerOfTwoAtLeast(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void latencyScoresAreLogMillisecondsAndThroughputScoresFollowLittlesLaw() {
        assertThat(OnlinePolicy.score(embedding(), 20)).isCloseTo(Math.log(20), offset(1e-12));
        TaskProfile throughput = new TaskProfile("m", TaskProfile.EMBEDDING, TaskProfile.PROSE, 32, 0, 8, 4,
                Objective.THROUGHPUT, 0);
        // 4 in flight, 20 ms each: 200 requests/s
        assertThat(OnlinePolicy.score(throughput, 20)).isCloseTo(-Math.log(200), offset(1e-12));
        assertThat(OnlinePolicy.score(embedding(), 0)).isFinite();
    }

    @Test
    void badArgumentsAreRefusedWithAMessageNamingThem() {
        OnlinePolicy policy = OnlinePolicy.create(FlatPrior.INSTANCE, "v1");
        assertThatThrownBy(() -> policy.choose(embedding(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no candidates");
        assertThatThrownBy(() -> policy.choose(null, List.of(candidate("n", FP32))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task must not be null");
        Decision d = policy.choose(embedding(), List.of(candidate("n", FP32)));
        assertThatThrownBy(() -> policy.observe(d, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency");
        assertThatThrownBy(() -> policy.observe(d, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latency");
        assertThatThrownBy(() -> OnlinePolicy.create(FlatPrior.INSTANCE, "v1").observe(d, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("made by another policy");
        assertThatThrownBy(() -> policy.observe(null, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decision must not be null");
        assertThatThrownBy(() -> policy.observeScore(d, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("score");
        assertThatThrownBy(() -> policy.replacePriors(FlatPrior.INSTANCE, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model version");
        assertThatThrownBy(() -> policy.replacePriors(null, "v2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prior source");
        assertThatThrownBy(() -> new Estimate(0, 0, 0)).hasMessageContaining("variance");
        assertThatThrownBy(() -> new Estimate(Double.NaN, 1, 0)).hasMessageContaining("mean");
        assertThatThrownBy(() -> new Estimate(0, 1, Double.NaN)).hasMessageContaining("quality delta");
        assertThat(new Estimate(0, 1, Double.POSITIVE_INFINITY).qualityDelta()).isInfinite();
        assertThatThrownBy(() -> new FlatPrior(0)).hasMessageContaining("standard deviation");
        assertThatThrownBy(() -> OnlinePolicySettings.defaults().withEvidenceHalfLife(Duration.ZERO))
                .hasMessageContaining("half-life");
        assertThatThrownBy(() -> OnlinePolicySettings.defaults().withExplorationFloor(1.5))
                .hasMessageContaining("exploration floor");
        assertThatThrownBy(() -> OnlinePolicySettings.defaults().withEvidenceWindow(0))
                .hasMessageContaining("evidence window");
    }
}
