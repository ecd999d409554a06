package dev.metaserve.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.Plan;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModeSpecTest {
    private static final Set<Phase> BOTH = EnumSet.allOf(Phase.class);

    @Test
    void theDefaultModesAreTheSelectorEveryPlanOfThePhaseAndRandom() {
        Map<Phase, List<Mode>> modes = ModeSpec.parse(List.of("selector", "fixed", "random"), BOTH);

        assertThat(modes.get(Phase.EMBEDDING)).hasSize(8).startsWith(Mode.SELECTOR).endsWith(Mode.RANDOM)
                .contains(Mode.fixed("batching=dynamic(32,5000),precision=int8"));
        assertThat(modes.get(Phase.GENERATION)).extracting(Mode::name).containsExactly("selector",
                "fixed:decoding=plain", "fixed:decoding=draft(2)", "fixed:decoding=draft(4)",
                "fixed:decoding=ngram(4,2)", "random");
    }

    @Test
    void aNamedPlanGoesToItsPhaseWrittenAsThatPhaseWritesIt() {
        Map<Phase, List<Mode>> modes = ModeSpec.parse(List.of("fixed:decoding=plain",
                "fixed: precision=int8, batching=dynamic(8, 1000)"), BOTH);

        assertThat(modes.get(Phase.GENERATION)).containsExactly(Mode.fixed("decoding=plain"));
        assertThat(modes.get(Phase.EMBEDDING)).containsExactly(Mode.fixed("batching=dynamic(8,1000),precision=int8"));
    }

    @Test
    void unknownWordsAndPlansOutsideThePhaseAreRefusedByName() {
        assertThatThrownBy(() -> ModeSpec.parse(List.of("best"), BOTH)).hasMessageContaining("'best'");
        assertThatThrownBy(() -> ModeSpec.parse(List.of("fixed:decoding=draft(3)"), BOTH))
                .hasMessageContaining("not one of the generation plans");
        assertThatThrownBy(() -> ModeSpec.parse(List.of("fixed:batching=sometimes"), BOTH))
                .hasMessageContaining("batching");
    }

    @Test
    void randomDrawsAreReproducibleAndCoverEveryPlan() {
        List<Plan> plans = Phase.EMBEDDING.plans();
        Map<Plan, Integer> counts = new HashMap<>();
        for (int i = 0; i < 6000; i++) {
            Plan plan = Mode.RANDOM.planFor(plans, 1, 2, i);
            assertThat(Mode.RANDOM.planFor(plans, 1, 2, i)).isEqualTo(plan);
            counts.merge(plan, 1, Integer::sum);
        }
        assertThat(counts).hasSize(plans.size());
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
        assertThat(Mode.SELECTOR.planFor(plans, 1, 2, 0)).isNull();
    }
}
