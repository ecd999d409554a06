package dev.metaserve.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchUncertaintyTest {
    private static final Mode A = Mode.fixed("batching=none,precision=fp32");
    private static final Mode B = Mode.fixed("batching=none,precision=int8");
    private static final int DRAWS = 2000;

    /** Rounds of 100 requests with the given mean latencies in ms. */
    private static List<RoundTotal> rounds(double... meansMs) {
        return Arrays.stream(meansMs).mapToObj(m -> new RoundTotal(100, 100 * m)).toList();
    }

    private static ClassRounds taskClass(String name, Object... modesAndRounds) {
        Map<Mode, List<RoundTotal>> byMode = new LinkedHashMap<>();
        for (int i = 0; i < modesAndRounds.length; i += 2) {
            List<RoundTotal> rounds = ((List<?>) modesAndRounds[i + 1]).stream().map(RoundTotal.class::cast).toList();
            byMode.put((Mode) modesAndRounds[i], rounds);
        }
        return new ClassRounds(name, Phase.EMBEDDING, byMode);
    }

    @Test
    void aSelectorAheadInEveryRoundMatchesInEveryDrawHoweverTheMachineDrifts() {
        // the machine's speed moves every round (x1, x1.3, x0.8, x1.1), the same for all modes
        MatchUncertainty.Verdict v = MatchUncertainty.of(List.of(taskClass("c",
                Mode.SELECTOR, rounds(10, 13, 8, 11),
                A, rounds(12, 15.6, 9.6, 13.2),
                B, rounds(15, 19.5, 12, 16.5))), DRAWS, 1);

        MatchUncertainty.ClassVerdict c = v.classes().get(0);
        assertThat(c.bestFixed()).isEqualTo(A);
        assertThat(c.selectorToBestFixed()).isCloseTo(10 / 12.0, within(1e-9));
        assertThat(c.matchShare()).isEqualTo(1.0);
        assertThat(c.high()).isLessThan(1);
        assertThat(v.bestFixedPerClassToSelector()).isCloseTo(1.2, within(1e-9));
        assertThat(v.aimShare()).isEqualTo(1.0);
    }

    @Test
    void aSelectorAheadInHalfTheRoundsAndBehindInTheOthersIsNotSureEitherWay() {
        MatchUncertainty.Verdict v = MatchUncertainty.of(List.of(taskClass("c",
                Mode.SELECTOR, rounds(9, 9, 12.5, 12.5),
                A, rounds(10, 10, 10, 10))), DRAWS, 1);

        MatchUncertainty.ClassVerdict c = v.classes().get(0);
        assertThat(c.selectorToBestFixed()).isCloseTo(1.075, within(1e-9)); // all rounds: no match
        assertThat(c.matchShare()).isBetween(0.2, 0.8); // but drawn rounds often say otherwise
        assertThat(c.low()).isLessThan(1.05);
        assertThat(c.high()).isGreaterThan(1.05);
        assertThat(v.allMatchShare()).isEqualTo(c.matchShare());
    }

    @Test
    void theBestFixedPlanIsChosenAgainInEveryDraw() {
        // A wins the first two rounds, B the last two; over all rounds both equal the selector
        MatchUncertainty.Verdict v = MatchUncertainty.of(List.of(taskClass("c",
                Mode.SELECTOR, rounds(12, 12, 12, 12),
                A, rounds(10, 10, 14, 14),
                B, rounds(14, 14, 10, 10))), DRAWS, 1);

        MatchUncertainty.ClassVerdict c = v.classes().get(0);
        assertThat(c.selectorToBestFixed()).isCloseTo(1, within(1e-9));
        // whichever rounds are drawn, the plan that looks best then is at least as fast as the selector: a verdict
        // that kept A as the best would see the selector ahead (12 / 14) in draws of the last rounds
        assertThat(c.low()).isGreaterThanOrEqualTo(1 - 1e-9);
        assertThat(c.matchShare()).isLessThan(1);
    }

    @Test
    void aDrawTakesTheSameRoundsForEveryClass() {
        // the selector matches on one only in draws of mostly the first two rounds, on two only of mostly the last two
        MatchUncertainty.Verdict v = MatchUncertainty.of(List.of(
                taskClass("one", Mode.SELECTOR, rounds(9, 9, 12.5, 12.5), A, rounds(10, 10, 10, 10)),
                taskClass("two", Mode.SELECTOR, rounds(12.5, 12.5, 9, 9), A, rounds(10, 10, 10, 10))), DRAWS, 1);

        assertThat(v.classes()).allSatisfy(c -> assertThat(c.matchShare()).isBetween(0.2, 0.8));
        assertThat(v.allMatchShare()).isZero(); // drawn apart, both would match in about a tenth of the draws
    }

    @Test
    void pooledRunsAreDrawnRunFirstSoWhatDiffersBetweenRunsCounts() {
        // run 1 has the selector 10% ahead in both its rounds, run 2 25% behind in both of its
        List<ClassRounds> classes = List.of(taskClass("c",
                Mode.SELECTOR, rounds(9, 9, 12.5, 12.5), A, rounds(10, 10, 10, 10)));

        // it matches only when both runs drawn are run 1: a quarter of the draws (rounds alone: 5 in 16)
        assertThat(MatchUncertainty.of(classes, List.of(2, 2), DRAWS, 1).classes().get(0).matchShare())
                .isCloseTo(0.25, within(0.04));
        assertThatThrownBy(() -> MatchUncertainty.of(classes, List.of(2, 1), DRAWS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not add up");
    }

    @Test
    void classesAreDrawnTogetherSoTheyMustHaveTheSameRounds() {
        assertThatThrownBy(() -> MatchUncertainty.of(List.of(
                taskClass("one", Mode.SELECTOR, rounds(10, 10), A, rounds(11, 11)),
                taskClass("two", Mode.SELECTOR, rounds(10), A, rounds(11))), DRAWS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two has 1 rounds");
        assertThatThrownBy(() -> MatchUncertainty.of(List.of(taskClass("none", A, rounds(10))), DRAWS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the selector");
        assertThatThrownBy(() -> taskClass("ragged", Mode.SELECTOR, rounds(10, 10), A, rounds(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 1 rounds");
    }

    @Test
    void theSameSeedDrawsTheSameVerdict() {
        List<ClassRounds> classes = List.of(taskClass("c", Mode.SELECTOR, rounds(9, 11, 13, 10),
                A, rounds(10, 10, 12, 11), B, rounds(11, 9, 14, 10)));

        assertThat(MatchUncertainty.of(classes, DRAWS, 7)).isEqualTo(MatchUncertainty.of(classes, DRAWS, 7));
    }
}
