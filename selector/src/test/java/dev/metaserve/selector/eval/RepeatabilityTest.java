package dev.metaserve.selector.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Measurement;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.Source;
import dev.metaserve.selector.store.TaskProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatabilityTest {
    private static final HardwareProfile NODE = new HardwareProfile("n", 1, 1, 0, 0, "");
    private static final Plan FP32 = Plan.parse("batching=none,precision=fp32");
    private static final Plan BATCHED = Plan.parse("batching=dynamic(8,1000),precision=fp32");

    private static TaskProfile task(int tokens) {
        return new TaskProfile("encoder", TaskProfile.EMBEDDING, TaskProfile.PROSE, tokens, 0, 1, 1,
                Objective.LATENCY, 0.0);
    }

    private static Observation measured(TaskProfile task, Plan plan, double latencyMs, int second) {
        Measurement m = new Measurement(latencyMs, latencyMs, latencyMs, 1000 / latencyMs, 0, 0, 100);
        return Observation.of(task, plan, NODE, m, Instant.EPOCH.plusSeconds(second), Source.SWEEP);
    }

    /** Rounds of one task, fp32 then batched in each, one second apart: latencies[round] = {fp32 ms, batched ms}. */
    private static List<Observation> rounds(double[]... latencies) {
        List<Observation> observations = new ArrayList<>();
        int second = 1;
        for (double[] round : latencies) {
            observations.add(measured(task(16), FP32, round[0], second++));
            observations.add(measured(task(16), BATCHED, round[1], second++));
        }
        return observations;
    }

    @Test
    void aRepeatThatKeepsTheOrderIsAPerfectOracle() {
        List<Observation> observations = List.of(
                measured(task(16), FP32, 10, 1), measured(task(16), BATCHED, 20, 2),
                measured(task(16), FP32, 12, 3), measured(task(16), BATCHED, 18, 4));

        MethodResult result = Repeatability.of(observations).orElseThrow();

        assertThat(result.problems()).isEqualTo(1);
        assertThat(result.accuracy()).isEqualTo(1.0);
        assertThat(result.meanRegret()).isEqualTo(0.0);
    }

    @Test
    void aRepeatThatSwapsTheBestIsScoredBothWays() {
        List<Observation> observations = List.of(
                measured(task(16), FP32, 10, 1), measured(task(16), BATCHED, 11, 2),
                // the later measurement comes first in the list: order is by time, not by position
                measured(task(16), BATCHED, 10, 4), measured(task(16), FP32, 12, 3));

        MethodResult result = Repeatability.of(observations).orElseThrow();

        // first measurement's best (fp32) is 20% behind on the repeat; the repeat's best (batched) 10% on the first
        assertThat(result.accuracy()).isEqualTo(0.0);
        assertThat(result.meanRegret()).isCloseTo(0.15, within(1e-9));
        assertThat(result.nearBest()).isEqualTo(0.0);
    }

    @Test
    void fourMeasurementsCompareTheAverageOfTheFirstTwoWithTheLastTwo() {
        // the last round alone swaps the best (earliest against latest would score 0); averaged with the third, fp32
        // stays ahead
        List<Observation> observations = rounds(new double[] {10, 11}, new double[] {10, 11}, new double[] {10, 13},
                new double[] {12, 10});

        MethodResult result = Repeatability.of(observations).orElseThrow();

        assertThat(result.problems()).isEqualTo(1);
        assertThat(result.accuracy()).isEqualTo(1.0);
        assertThat(result.meanRegret()).isEqualTo(0.0);
    }

    @Test
    void halvesThatDisagreeScoreAMissEvenWhereTheirPoolWouldAgreeWithItself() {
        List<Observation> observations = rounds(new double[] {10, 11}, new double[] {10, 11}, new double[] {12, 10},
                new double[] {12, 10});

        MethodResult result = Repeatability.of(observations).orElseThrow();

        assertThat(result.accuracy()).isEqualTo(0.0);
        // over all four rounds fp32 (10.95 ms) and batched (10.49 ms) are within 5%: the problem is not clear
        assertThat(result.clearShare()).isEqualTo(0.0);
        assertThat(result.clearAccuracy()).isNaN();
    }

    @Test
    void anOddCountLeavesTheMiddleMeasurementOut() {
        // the middle round would swap the best if it counted in the later half
        List<Observation> observations = rounds(new double[] {10, 20}, new double[] {40, 5}, new double[] {10, 20});

        MethodResult result = Repeatability.of(observations).orElseThrow();

        assertThat(result.accuracy()).isEqualTo(1.0);
    }

    @Test
    void problemsWithACandidateMeasuredOnceAreLeftOut() {
        List<Observation> observations = new ArrayList<>(List.of(
                measured(task(16), FP32, 10, 1), measured(task(16), BATCHED, 20, 2),
                measured(task(16), FP32, 12, 3)));

        assertThat(Repeatability.of(observations)).isEmpty();

        observations.addAll(List.of(measured(task(64), FP32, 30, 5), measured(task(64), BATCHED, 20, 6),
                measured(task(64), FP32, 31, 7), measured(task(64), BATCHED, 25, 8)));
        MethodResult result = Repeatability.of(observations).orElseThrow();
        assertThat(result.problems()).isEqualTo(1);
        assertThat(result.accuracy()).isEqualTo(1.0);
    }

    @Test
    void labelsWhoseBestLeadsInEveryRoundAreTheirOwnDrawsBest() {
        List<Observation> observations = rounds(new double[] {10, 20}, new double[] {12, 18}, new double[] {11, 19});

        MethodResult result = Repeatability.resampled(observations, 1).orElseThrow();

        assertThat(result.method()).isEqualTo(Repeatability.RESAMPLED_NAME);
        assertThat(result.problems()).isEqualTo(1);
        assertThat(result.accuracy()).isEqualTo(1.0);
        assertThat(result.clearAccuracy()).isEqualTo(1.0);
    }

    @Test
    void labelsDecidedByOneRoundAreOftenNotTheirDrawsBest() {
        // fp32 is ahead in three rounds by 10%; the fourth round, twice as slow, makes batched the label's best. A draw
        // without the fourth round (about a third of them) names fp32
        List<Observation> observations = rounds(new double[] {10, 11}, new double[] {10, 11}, new double[] {10, 11},
                new double[] {20, 11});

        MethodResult result = Repeatability.resampled(observations, 1).orElseThrow();

        assertThat(result.problems()).isEqualTo(1);
        assertThat(result.accuracy()).isBetween(0.45, 0.85);
        assertThat(result.meanRegret()).isGreaterThan(0);
        assertThat(Repeatability.resampled(observations, 1).orElseThrow()).as("seeded: the same draws")
                .isEqualTo(result);
    }

    @Test
    void drawsAreMadeOnlyWhereEveryCandidateWasMeasuredTwice() {
        List<Observation> observations = List.of(
                measured(task(16), FP32, 10, 1), measured(task(16), BATCHED, 20, 2),
                measured(task(16), FP32, 12, 3));

        assertThat(Repeatability.resampled(observations, 1)).isEmpty();
    }
}
