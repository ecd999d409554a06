package dev.metaserve.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Measures alternatives side by side: every round measures each once, odd rounds in reverse order, so
 * that a noisy machine's drift falls on all of them alike; the rounds of one alternative are then
 * averaged ({@link LatencyStats#mean}).
 */
final class AlternatingRounds {

    /** One measurement of one alternative. */
    @FunctionalInterface
    interface Measure<T> {
        LatencyStats run(T alternative) throws Exception;
    }

    private AlternatingRounds() {}

    /** @return per alternative, in the given order, its rounds averaged */
    static <T> Map<T, LatencyStats> measure(List<T> alternatives, Function<T, String> name, int rounds, int concurrency,
                                            Measure<T> measure) throws Exception {
        Map<T, List<LatencyStats>> runs = new LinkedHashMap<>();
        alternatives.forEach(a -> runs.put(a, new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            List<T> order = new ArrayList<>(alternatives);
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (T alternative : order) {
                LatencyStats stats = measure.run(alternative);
                System.err.printf(Locale.ROOT, "  round %d %-20s c=%-3d p50 %7.2f ms p99 %7.2f ms %7.1f req/s%n",
                        round + 1, name.apply(alternative), concurrency, stats.p50Ms(), stats.p99Ms(), stats.throughputPerSecond());
                runs.get(alternative).add(stats);
            }
        }
        Map<T, LatencyStats> averaged = new LinkedHashMap<>();
        runs.forEach((alternative, list) -> averaged.put(alternative, LatencyStats.mean(list)));
        return averaged;
    }
}
