package dev.metaserve.selector.tools;

import dev.metaserve.selector.model.ModelFormatException;
import dev.metaserve.selector.model.SelectorModel;
import dev.metaserve.selector.model.SelectorModelFile;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.problem.SelectionQuery;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times {@link SelectorModel#choose} on a model read from its file (so without an embedder), over the queries of the
 * training problems: "first" is the first decision for a task on a fresh model (predictions computed), "repeat" a
 * decision for a task seen before (predictions cached). Throw-away copies are run first so the JIT has compiled both
 * paths, as in a gateway that has served for a while.
 *
 * @param first  nanoseconds of each first decision
 * @param repeat nanoseconds of each repeated decision
 */
record DecisionTiming(long[] first, long[] repeat) {
    private static final int REPEAT_ROUNDS = 20;
    /** Fresh models run through all queries before measuring, so first decisions are compiled too. */
    private static final int WARM_UP_MODELS = 20;

    static DecisionTiming measure(Path modelFile, List<SelectionProblem> problems) throws ModelFormatException {
        List<SelectionQuery> queries = problems.stream().map(SelectionProblem::query).toList();
        for (int round = 0; round < WARM_UP_MODELS; round++) {
            SelectorModel warmUp = SelectorModelFile.read(modelFile);
            for (int again = 0; again < 2; again++) {
                for (SelectionQuery q : queries) {
                    warmUp.choose(q.task(), q.candidates());
                }
            }
        }
        SelectorModel fresh = SelectorModelFile.read(modelFile);
        long[] first = new long[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            SelectionQuery q = queries.get(i);
            long start = System.nanoTime();
            fresh.choose(q.task(), q.candidates());
            first[i] = System.nanoTime() - start;
        }
        long[] repeat = new long[queries.size() * REPEAT_ROUNDS];
        int at = 0;
        for (int round = 0; round < REPEAT_ROUNDS; round++) {
            for (SelectionQuery q : queries) {
                long start = System.nanoTime();
                fresh.choose(q.task(), q.candidates());
                repeat[at++] = System.nanoTime() - start;
            }
        }
        return new DecisionTiming(first, repeat);
    }

    static double percentileMicros(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(rank, sorted.length - 1))] / 1000.0;
    }

    String describe() {
        return String.format(Locale.ROOT, "decision time: first for a task p50 %.1f us, p99 %.1f us (%d); repeated p50"
                + " %.1f us, p99 %.1f us (%d)", percentileMicros(first, 0.5), percentileMicros(first, 0.99),
                first.length, percentileMicros(repeat, 0.5), percentileMicros(repeat, 0.99), repeat.length);
    }
}
