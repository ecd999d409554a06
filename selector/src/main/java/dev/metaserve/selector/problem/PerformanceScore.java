package dev.metaserve.selector.problem;

import dev.metaserve.selector.store.Objective;

/**
 * One scale for both objectives, lower is better: {@code ln(latency p50 ms)} for latency, {@code -ln(throughput)}
 * for throughput. The difference of two scores is the log of their ratio, so regret is {@code exp(diff) - 1}:
 * chosen latency over best latency minus 1, or best throughput over chosen throughput minus 1.
 */
public final class PerformanceScore {
    /** Floor of latencies and throughputs before the log, so a 0 measured stays finite. */
    static final double FLOOR = 1e-6;

    private PerformanceScore() {}

    public static double of(Objective objective, double latencyP50Ms, double throughputPerSecond) {
        return switch (objective) {
            case LATENCY -> Math.log(Math.max(latencyP50Ms, FLOOR));
            case THROUGHPUT -> -Math.log(Math.max(throughputPerSecond, FLOOR));
        };
    }

    /** Regret of a choice scored {@code chosen} against the best, scored {@code best}: {@code exp(chosen - best) - 1}. */
    public static double regret(double chosen, double best) {
        return Math.exp(chosen - best) - 1;
    }
}
