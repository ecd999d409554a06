package dev.metaserve.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundAgreementTest {
    private static final Mode FIXED = Mode.fixed("decoding=ngram(4,2)");
    private static final Mode SLOWER = Mode.fixed("decoding=plain");
    /** The machine's speed in each round: it moves every mode's means alike. */
    private static final double[] MACHINE = {1.0, 3.0, 0.5, 2.0, 1.5};

    /**
     * A class whose best fixed plan took {@code 100 ms x MACHINE[r]} in round r and whose selector took {@code ratios[r]}
     * times that (a ratio of 0: no request in that round); a slower fixed plan beside it.
     */
    private static ClassRounds taskClass(String name, Phase phase, double... ratios) {
        List<RoundTotal> selector = new ArrayList<>();
        List<RoundTotal> fixed = new ArrayList<>();
        List<RoundTotal> slower = new ArrayList<>();
        for (int r = 0; r < ratios.length; r++) {
            double fixedMs = 100 * MACHINE[r];
            selector.add(ratios[r] == 0 ? new RoundTotal(0, 0) : new RoundTotal(10, 10 * fixedMs * ratios[r]));
            fixed.add(new RoundTotal(10, 10 * fixedMs));
            slower.add(new RoundTotal(10, 30 * fixedMs));
        }
        Map<Mode, List<RoundTotal>> byMode = new LinkedHashMap<>();
        byMode.put(Mode.SELECTOR, selector);
        byMode.put(FIXED, fixed);
        byMode.put(SLOWER, slower);
        return new ClassRounds(name, phase, byMode);
    }

    @Test
    void classesWhoseRatiosMoveTogetherAgreeThoughTheMachineMovesEveryMeanAlike() {
        Map<Phase, Double> agreement = RoundAgreement.byPhase(List.of(
                // generation: every class has the same good and bad rounds for the selector, at its own level
                taskClass("g1", Phase.GENERATION, 0.9, 1.3, 0.8, 1.1),
                taskClass("g2", Phase.GENERATION, 1.0, 1.44, 0.89, 1.22),
                taskClass("g3", Phase.GENERATION, 0.7, 1.01, 0.62, 0.86),
                // embedding: one class's good rounds are the other's bad ones, though both classes' means (and so the
                // selector's alone) rise and fall with the machine
                taskClass("e1", Phase.EMBEDDING, 0.9, 1.3, 0.8, 1.1),
                taskClass("e2", Phase.EMBEDDING, 1.2, 0.8, 1.3, 0.95)));

        assertThat(agreement.get(Phase.GENERATION)).isCloseTo(1.0, within(0.01));
        assertThat(agreement.get(Phase.EMBEDDING)).isLessThan(-0.5);
        assertThat(agreement.keySet()).containsExactly(Phase.EMBEDDING, Phase.GENERATION);
    }

    @Test
    void aPairThatSaysNothingIsLeftOutOfThePhasesMean() {
        Map<Phase, Double> agreement = RoundAgreement.byPhase(List.of(
                taskClass("g1", Phase.GENERATION, 0.9, 1.3, 0.8, 1.1),
                taskClass("g2", Phase.GENERATION, 1.0, 1.44, 0.89, 1.22),
                taskClass("steady", Phase.GENERATION, 1.0, 1.0, 1.0, 1.0))); // constant: no correlation with anyone

        assertThat(agreement.get(Phase.GENERATION)).isCloseTo(1.0, within(0.01)); // not (1 + 0 + 0) / 3
    }

    @Test
    void aPairCountsOnlyTheRoundsBothServedAndNeedsFourOfThem() {
        // five rounds, one without selector requests in g2: four in common, enough
        assertThat(RoundAgreement.byPhase(List.of(taskClass("g1", Phase.GENERATION, 0.9, 1.3, 0.8, 1.1, 5.0),
                taskClass("g2", Phase.GENERATION, 1.0, 1.44, 0.89, 1.22, 0))).get(Phase.GENERATION))
                .isCloseTo(1.0, within(0.01)); // g1's fifth round, an outlier, is not counted
        // four rounds, one empty: three in common, too few
        assertThat(RoundAgreement.byPhase(List.of(taskClass("g1", Phase.GENERATION, 0.9, 1.3, 0.8, 1.1),
                taskClass("g2", Phase.GENERATION, 1.0, 0, 0.89, 1.22)))).isEmpty();
        // three rounds
        assertThat(RoundAgreement.byPhase(List.of(taskClass("g1", Phase.GENERATION, 0.9, 1.3, 0.8),
                taskClass("g2", Phase.GENERATION, 1.0, 1.44, 0.89)))).isEmpty();
        // one class
        assertThat(RoundAgreement.byPhase(List.of(taskClass("e1", Phase.EMBEDDING, 0.9, 1.3, 0.8, 1.1)))).isEmpty();
    }

    @Test
    void aClassWhoseFixedPlansServedNothingIsLeftOut() {
        List<RoundTotal> none = List.of(new RoundTotal(0, 0), new RoundTotal(0, 0), new RoundTotal(0, 0),
                new RoundTotal(0, 0));
        ClassRounds unserved = new ClassRounds("unserved", Phase.GENERATION, Map.of(
                Mode.SELECTOR, taskClass("x", Phase.GENERATION, 1, 1.2, 0.9, 1.1).rounds().get(Mode.SELECTOR),
                FIXED, none));

        assertThat(RoundAgreement.byPhase(List.of(taskClass("g1", Phase.GENERATION, 0.9, 1.3, 0.8, 1.1), unserved)))
                .isEmpty();
    }

    @Test
    void theVerdictCarriesItIntoTheTableAndTheJson() {
        MatchUncertainty.Verdict verdict = MatchUncertainty.of(List.of(
                taskClass("g1", Phase.GENERATION, 0.9, 1.3, 0.8, 1.1),
                taskClass("g2", Phase.GENERATION, 1.0, 1.44, 0.89, 1.22)), 200, 1);

        assertThat(verdict.roundAgreement()).containsOnlyKeys(Phase.GENERATION);
        assertThat(VerdictTable.format(verdict, 1)).contains("share a round's luck").contains("generation 1.00");
        assertThat(VerdictTable.json(verdict).get("roundAgreement"))
                .isEqualTo(Map.of("generation", verdict.roundAgreement().get(Phase.GENERATION)));
    }
}
