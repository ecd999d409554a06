package dev.metaserve.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static final Mode A = Mode.fixed("batching=none,precision=fp32");
    private static final Mode B = Mode.fixed("batching=none,precision=int8");

    /** Latencies in ms, as the nanoseconds the load records. */
    private static long[] ms(double... values) {
        return Arrays.stream(values).mapToLong(v -> Math.round(v * 1e6)).toArray();
    }

    private static ClassSamples samples(String name, Object... modesAndLatencies) {
        Map<Mode, long[]> byMode = new LinkedHashMap<>();
        for (int i = 0; i < modesAndLatencies.length; i += 2) {
            byMode.put((Mode) modesAndLatencies[i], (long[]) modesAndLatencies[i + 1]);
        }
        return new ClassSamples(name, Phase.EMBEDDING, byMode);
    }

    @Test
    void aClassComparesTheSelectorWithItsBestFixedPlanAndRandomWithTheSelector() {
        ClassSummary c = Summary.summarise(samples("c",
                Mode.SELECTOR, ms(9, 10, 11),
                A, ms(12, 12, 12),
                B, ms(9.7, 9.7, 9.7),
                Mode.RANDOM, ms(15, 15, 15)));

        assertThat(c.mean(Mode.SELECTOR)).isCloseTo(10, within(1e-9));
        assertThat(c.modes().get(Mode.SELECTOR).p50Ms()).isEqualTo(10);
        assertThat(c.bestFixed()).isEqualTo(B);
        assertThat(c.selectorToBestFixed()).isCloseTo(10 / 9.7, within(1e-9));
        assertThat(c.matchesBestFixed()).isTrue();
        assertThat(c.randomToSelector()).isCloseTo(1.5, within(1e-9));
        assertThat(c.ratioToSelector(A)).isCloseTo(1.2, within(1e-9));
    }

    @Test
    void theSelectorMatchesOnlyWithinFivePercentOfTheBestFixedPlan() {
        assertThat(Summary.summarise(samples("in", Mode.SELECTOR, ms(10.4), A, ms(10))).matchesBestFixed()).isTrue();
        assertThat(Summary.summarise(samples("out", Mode.SELECTOR, ms(10.6), A, ms(10))).matchesBestFixed()).isFalse();
        assertThat(Summary.summarise(samples("faster", Mode.SELECTOR, ms(8), A, ms(10))).matchesBestFixed()).isTrue();
    }

    @Test
    void aFixedPlanWithoutMeasuredRequestsIsNeverTheBest() {
        ClassSummary c = Summary.summarise(samples("c", Mode.SELECTOR, ms(10), A, ms(), B, ms(11)));

        assertThat(c.bestFixed()).isEqualTo(B);
        assertThat(c.modes().get(A).meanMs()).isNaN();
    }

    @Test
    void withoutTheSelectorThereAreNoRatiosButStillABestFixedPlan() {
        ClassSummary c = Summary.summarise(samples("c", A, ms(12), B, ms(11), Mode.RANDOM, ms(13)));

        assertThat(c.bestFixed()).isEqualTo(B);
        assertThat(c.selectorToBestFixed()).isNaN();
        assertThat(c.matchesBestFixed()).isFalse();
        assertThat(c.randomToSelector()).isNaN();
    }

    @Test
    void phasesCombineClassesByGeometricMeanAndPickTheBestSingleFixedPlan() {
        // A: 2x the selector on one class, 0.5x on the other: geometric mean 1 (the arithmetic mean would say 1.25)
        Summary summary = Summary.of(List.of(
                samples("one", Mode.SELECTOR, ms(10), A, ms(20), B, ms(12)),
                samples("two", Mode.SELECTOR, ms(10), A, ms(5), B, ms(11))));

        PhaseSummary phase = summary.phases().get(0);
        assertThat(phase.classes()).isEqualTo(2);
        assertThat(phase.ratioToSelector().get(Mode.SELECTOR)).isCloseTo(1, within(1e-9));
        assertThat(phase.ratioToSelector().get(A)).isCloseTo(1, within(1e-9));
        assertThat(phase.ratioToSelector().get(B)).isCloseTo(Math.sqrt(1.2 * 1.1), within(1e-9));
        // A's latencies have the lower geometric mean (10 ms against 11.5), though B wins class one
        assertThat(phase.bestSingleFixed()).isEqualTo(A);
        // best per class: B on one (1.2x), A on two (0.5x)
        assertThat(phase.bestPerClassToSelector()).isCloseTo(Math.sqrt(1.2 * 0.5), within(1e-9));
        // the selector beats every plan on one, and is 2x the best on two
        assertThat(phase.matchedClasses()).isEqualTo(1);
        assertThat(summary.acrossClasses(c -> c.ratioToSelector(c.bestFixed())))
                .isCloseTo(Math.sqrt(1.2 * 0.5), within(1e-9));
    }

    @Test
    void aModeMissingOnAClassHasNoPhaseRatio() {
        PhaseSummary phase = Summary.of(List.of(
                samples("one", Mode.SELECTOR, ms(10), A, ms(20), Mode.RANDOM, ms(30)),
                samples("two", Mode.SELECTOR, ms(10), A, ms(5)))).phases().get(0);

        assertThat(phase.ratioToSelector().get(Mode.RANDOM)).isNaN();
        assertThat(phase.ratioToSelector().get(A)).isCloseTo(1, within(1e-9));
    }

    @Test
    void geometricMeanOfNothingOrOfAMissingValueIsNaN() {
        assertThat(Summary.geometricMean(new double[] {4, 1})).isCloseTo(2, within(1e-12));
        assertThat(Summary.geometricMean(new double[0])).isNaN();
        assertThat(Summary.geometricMean(new double[] {2, Double.NaN})).isNaN();
        assertThat(Summary.geometricMean(new double[] {2, 0})).isNaN();
    }

    @Test
    void oddRoundsReverseTheOrderAndEachPairStartsOneFurther() {
        List<String> modes = List.of("a", "b", "c");

        assertThat(RoundOrder.of(modes, 0)).containsExactly("a", "b", "c");
        assertThat(RoundOrder.of(modes, 1)).containsExactly("c", "b", "a");
        assertThat(RoundOrder.of(modes, 2)).containsExactly("b", "c", "a");
        assertThat(RoundOrder.of(modes, 3)).containsExactly("a", "c", "b");
    }
}
