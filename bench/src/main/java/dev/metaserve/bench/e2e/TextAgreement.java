package dev.metaserve.bench.e2e;

import java.util.HashMap;
import java.util.Map;

/**
 * Greedy decoding gives one text per prompt whatever the plan (speculative decoding keeps the target's choices), so
 * every mode does the same work. This checks it: the first text seen for a prompt of a class is the reference, and
 * each later completion of that prompt is compared with it.
 */
final class TextAgreement {
    private record Prompt(String taskClass, int index) {}

    /** Completions compared and how many differed. */
    record Count(int compared, int differing) {}

    private final Map<Prompt, String> firstTexts = new HashMap<>();
    private final Map<Mode, Count> counts = new HashMap<>();

    void check(TaskClass taskClass, Mode mode, MixedLoad.ClassRun run) {
        if (taskClass.phase() != Phase.GENERATION) {
            return;
        }
        int compared = 0;
        int differing = 0;
        for (MixedLoad.Completion c : run.completions()) {
            String text = c.served().text();
            if (text == null) {
                continue;
            }
            Prompt prompt = new Prompt(taskClass.name(), Math.floorMod(c.index(), taskClass.pool().size()));
            String first = firstTexts.putIfAbsent(prompt, text);
            if (first != null) {
                compared++;
                if (!first.equals(text)) {
                    differing++;
                }
            }
        }
        counts.merge(mode, new Count(compared, differing),
                (a, b) -> new Count(a.compared() + b.compared(), a.differing() + b.differing()));
    }

    /** Per mode, over every generation class and round so far. */
    Map<Mode, Count> counts() {
        return Map.copyOf(counts);
    }
}
