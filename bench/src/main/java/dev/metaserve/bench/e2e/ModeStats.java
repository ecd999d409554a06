package dev.metaserve.bench.e2e;

import dev.metaserve.bench.LatencyStats;
import java.util.Arrays;

/** Latency of one mode on one task class, over all its measured requests; NaN when it has none. */
record ModeStats(int samples, double meanMs, double p50Ms, double p90Ms, double p99Ms) {
    /** A mode not measured. */
    public static final ModeStats NONE = of(new long[0]);

    public static ModeStats of(long[] latenciesNanos) {
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        double mean = sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElseThrow() / 1e6;
        return new ModeStats(sorted.length, mean, LatencyStats.percentileMs(sorted, 0.50),
                LatencyStats.percentileMs(sorted, 0.90), LatencyStats.percentileMs(sorted, 0.99));
    }

    boolean measured() {
        return samples > 0;
    }
}
