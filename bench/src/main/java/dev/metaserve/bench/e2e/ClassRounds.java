package dev.metaserve.bench.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task class's measured rounds, per mode: every mode has the same rounds in the same order (round {@code r} of
 * each mode ran in the same round of the benchmark, or of the same pooled run), so a bootstrap can draw whole rounds.
 */
record ClassRounds(String taskClass, Phase phase, Map<Mode, List<RoundTotal>> rounds) {
    ClassRounds {
        Map<Mode, List<RoundTotal>> copy = new LinkedHashMap<>();
        int count = -1;
        for (Map.Entry<Mode, List<RoundTotal>> e : rounds.entrySet()) {
            if (count >= 0 && e.getValue().size() != count) {
                throw new IllegalArgumentException(taskClass + ": mode " + e.getKey().name() + " has "
                        + e.getValue().size() + " rounds, the modes before it " + count);
            }
            count = e.getValue().size();
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        rounds = Collections.unmodifiableMap(copy);
    }

    /** Whether the class has the selector and a fixed mode: something to compare. */
    boolean comparesSelector() {
        return rounds.containsKey(Mode.SELECTOR) && rounds.keySet().stream().anyMatch(Mode::isFixed);
    }

    /** How many rounds every mode has; 0 for none. */
    int roundCount() {
        return rounds.isEmpty() ? 0 : rounds.values().iterator().next().size();
    }
}
