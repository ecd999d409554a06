package dev.metaserve.bench;

import java.util.Arrays;

/** Latency percentiles and throughput of one load run. */
public record LatencyStats(int requests, int errors, double seconds, double p50Ms, double p90Ms, double p99Ms,
                           double throughputPerSecond) {

    /** @param latenciesNanos one entry per successful request */
    public static LatencyStats of(long[] latenciesNanos, int errors, double seconds) {
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, errors, seconds, percentileMs(sorted, 0.50), percentileMs(sorted, 0.90),
                percentileMs(sorted, 0.99), sorted.length / seconds);
    }

    /** The runs of one setting taken together: counts and time summed, percentiles and throughput averaged. */
    public static LatencyStats mean(java.util.List<LatencyStats> runs) {
        return new LatencyStats(
                runs.stream().mapToInt(LatencyStats::requests).sum(),
                runs.stream().mapToInt(LatencyStats::errors).sum(),
                runs.stream().mapToDouble(LatencyStats::seconds).sum(),
                runs.stream().mapToDouble(LatencyStats::p50Ms).average().orElse(Double.NaN),
                runs.stream().mapToDouble(LatencyStats::p90Ms).average().orElse(Double.NaN),
                runs.stream().mapToDouble(LatencyStats::p99Ms).average().orElse(Double.NaN),
                runs.stream().mapToDouble(LatencyStats::throughputPerSecond).average().orElse(Double.NaN));
    }

    /** Nearest-rank percentile, ms, of latencies in nanoseconds sorted ascending; NaN when there are none. */
    public static double percentileMs(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
}
