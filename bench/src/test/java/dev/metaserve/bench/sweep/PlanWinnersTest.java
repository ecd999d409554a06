package dev.metaserve.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Measurement;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.Source;
import dev.metaserve.selector.store.TaskProfile;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanWinnersTest {
    private static final Plan FP32 = Plan.parse("precision=fp32");
    private static final Plan INT8 = Plan.parse("precision=int8");
    private static final HardwareProfile NODE = new HardwareProfile("sweep-fast", 2, 2, 1024, 0, "");

    private static Observation observation(int concurrency, Objective objective, double tolerance, Plan plan,
                                           double p50Ms, double rps, double qualityDelta) {
        TaskProfile task = new TaskProfile("all-minilm-l6-v2", TaskProfile.EMBEDDING, TaskProfile.PROSE, 10, 0, 1,
                concurrency, objective, tolerance);
        return Observation.of(task, plan, NODE, new Measurement(p50Ms, p50Ms, p50Ms, rps, 0, qualityDelta, 30),
                Instant.parse("2026-12-01T12:00:00Z"), Source.SWEEP);
    }

    @Test
    void int8WinsOnlyWhereTheToleranceAdmitsItAndFp32IsTheBestSinglePlan() {
        List<Observation> observations = List.of(
                observation(1, Objective.LATENCY, 0, FP32, 10, 100, 0),
                observation(1, Objective.LATENCY, 0, INT8, 8, 125, 0.011),
                observation(1, Objective.LATENCY, 0.02, FP32, 10, 100, 0),
                observation(1, Objective.LATENCY, 0.02, INT8, 8, 125, 0.011));

        PlanWinners.ModelSummary summary = PlanWinners.summarise(observations).get(0);

        assertThat(summary.situations()).isEqualTo(2);
        assertThat(summary.wins()).containsEntry(FP32, 1).containsEntry(INT8, 1);
        assertThat(summary.oneWinner()).isFalse();
        assertThat(summary.bestSingle()).isEqualTo(FP32);
        assertThat(summary.meanRegret()).isCloseTo(0.125, offset(1e-9));
        assertThat(PlanWinners.format(List.of(summary))).contains("no single plan wins everywhere (2 plans");
    }

    @Test
    void aPlanBestUnderEveryObjectiveIsReportedAsWinningEverywhere() {
        List<Observation> observations = List.of(
                observation(8, Objective.THROUGHPUT, 0.02, FP32, 10, 100, 0),
                observation(8, Objective.THROUGHPUT, 0.02, INT8, 12, 90, 0.011),
                observation(8, Objective.LATENCY, 0.02, FP32, 10, 100, 0),
                observation(8, Objective.LATENCY, 0.02, INT8, 12, 90, 0.011));

        PlanWinners.ModelSummary summary = PlanWinners.summarise(observations).get(0);

        assertThat(summary.oneWinner()).isTrue();
        assertThat(summary.meanRegret()).isZero();
        assertThat(PlanWinners.format(List.of(summary))).contains("one plan wins everywhere: widen the grid");
    }
}
