package dev.metaserve.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundAgreementTest {
    private static final Mode FIXED = Mode.fixed("decoding=ngram(4,2)");
    private static final Mode SLOWER = Mode.fixed("decoding=plain");

    /** A class whose selector took {@code selectorMs} per round against a fixed plan's steady 100 ms (and a slower one). */
    private static ClassRounds taskClass(String name, Phase phase, double... selectorMs) {
        Map<Mode, List<RoundTotal>> byMode = new LinkedHashMap<>();
        byMode.put(Mode.SELECTOR, Arrays.stream(selectorMs).mapToObj(m -> new RoundTotal(10, 10 * m)).toList());
        byMode.put(FIXED, Arrays.stream(selectorMs).mapToObj(m -> new RoundTotal(10, 1000)).toList());
        byMode.put(SLOWER, Arrays.stream(selectorMs).mapToObj(m -> new RoundTotal(10, 3000)).toList());
        return new ClassRounds(name, phase, byMode);
    }

    @Test
    void classesWhoseRoundsGoTheSameWayAgreeAndOthersDoNot() {
        Map<Phase, Double> agreement = RoundAgreement.byPhase(List.of(
                // generation: every class has the same good and bad rounds, at its own level
                taskClass("g1", Phase.GENERATION, 90, 130, 80, 110),
                taskClass("g2", Phase.GENERATION, 100, 144, 89, 122),
                taskClass("g3", Phase.GENERATION, 70, 101, 62, 86),
                // embedding: one class's good rounds are the other's bad ones
                taskClass("e1", Phase.EMBEDDING, 90, 130, 80, 110),
                taskClass("e2", Phase.EMBEDDING, 120, 80, 130, 95)));

        assertThat(agreement.get(Phase.GENERATION)).isCloseTo(1.0, within(0.01));
        assertThat(agreement.get(Phase.EMBEDDING)).isLessThan(-0.5);
    }

    @Test
    void aPhaseWithOneClassTooFewRoundsOrARoundWithoutRequestsSaysNothing() {
        ClassRounds noRequests = new ClassRounds("g2", Phase.GENERATION, Map.of(
                Mode.SELECTOR, List.of(new RoundTotal(10, 900), new RoundTotal(0, 0), new RoundTotal(10, 1100)),
                FIXED, List.of(new RoundTotal(10, 1000), new RoundTotal(10, 1000), new RoundTotal(10, 1000))));

        assertThat(RoundAgreement.byPhase(List.of(taskClass("e1", Phase.EMBEDDING, 90, 130, 80)))).isEmpty();
        assertThat(RoundAgreement.byPhase(List.of(taskClass("g1", Phase.GENERATION, 90, 130),
                taskClass("g2", Phase.GENERATION, 100, 140)))).isEmpty();
        assertThat(RoundAgreement.byPhase(List.of(taskClass("g1", Phase.GENERATION, 90, 130, 80), noRequests)))
                .isEmpty();
    }

    @Test
    void theVerdictCarriesItIntoTheTableAndTheJson() {
        MatchUncertainty.Verdict verdict = MatchUncertainty.of(List.of(
                taskClass("g1", Phase.GENERATION, 90, 130, 80, 110),
                taskClass("g2", Phase.GENERATION, 100, 144, 89, 122)), 200, 1);

        assertThat(verdict.roundAgreement()).containsOnlyKeys(Phase.GENERATION);
        assertThat(VerdictTable.format(verdict, 1)).contains("generation 1.00");
        assertThat(VerdictTable.json(verdict).get("roundAgreement"))
                .isEqualTo(Map.of("generation", verdict.roundAgreement().get(Phase.GENERATION)));
    }
}
