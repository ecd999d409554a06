package dev.metaserve.bench.e2e;

import dev.metaserve.accelerators.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the modes to compare: {@code selector}, {@code random}, {@code fixed} (one fixed mode per plan of each phase)
 * or {@code fixed:<plan>} (that plan only; a plan naming {@code decoding} is a generation plan, any other an embedding
 * plan, and it must be one of the phase's plans).
 */
final class ModeSpec {
    private ModeSpec() {}

    /**
     * @return per phase, its modes in the order given ({@code fixed} in the phase's plan order), without repeats
     * @throws IllegalArgumentException naming a word or plan it does not know
     */
    static Map<Phase, List<Mode>> parse(List<String> words, Set<Phase> phases) {
        Map<Phase, Set<Mode>> modes = new LinkedHashMap<>();
        phases.forEach(p -> modes.put(p, new LinkedHashSet<>()));
        for (String raw : words) {
            String word = raw.strip();
            if (word.equals("fixed")) {
                modes.forEach((phase, m) -> phase.plans().forEach(p -> m.add(Mode.fixed(phase.planText(p)))));
                continue;
            }
            Mode mode;
            try {
                mode = Mode.named(word);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode '" + word + "' is not selector, random, fixed or"
                        + " fixed:<plan>");
            }
            if (!mode.isFixed()) {
                modes.values().forEach(m -> m.add(mode));
                continue;
            }
            Phase phase = mode.plan().contains("decoding") ? Phase.GENERATION : Phase.EMBEDDING;
            Plan plan;
            try {
                plan = Plan.parse(mode.plan());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mode '" + word + "': " + e.getMessage(), e);
            }
            if (!phase.plans().contains(plan)) {
                throw new IllegalArgumentException("mode '" + word + "': not one of the " + phase.label()
                        + " plans " + phase.plans().stream().map(phase::planText).toList());
            }
            if (modes.containsKey(phase)) {
                modes.get(phase).add(Mode.fixed(phase.planText(plan)));
            }
        }
        Map<Phase, List<Mode>> lists = new LinkedHashMap<>();
        modes.forEach((phase, m) -> lists.put(phase, new ArrayList<>(m)));
        return lists;
    }
}
