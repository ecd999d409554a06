package dev.metaserve.selector.store;

/**
 * What a plan achieved on a task: latency percentiles, rates and the quality it gave up.
 *
 * @param latencyP50Ms        median request latency in milliseconds
 * @param latencyP90Ms        90th percentile, no less than the median
 * @param latencyP99Ms        99th percentile, no less than the 90th
 * @param throughputPerSecond completed requests per second
 * @param tokensPerSecond     generated tokens per second; 0 when the task generates none
 * @param qualityDelta        quality lost versus the same task under fp32 with plain decoding, e.g. 1 - mean cosine
 *                            similarity of embeddings; 0 for fp32 plain itself; positive is worse; may be slightly
 *                            negative when a plan scores better by chance
 * @param sampleCount         requests measured, at least 1
 */
public record Measurement(double latencyP50Ms, double latencyP90Ms, double latencyP99Ms, double throughputPerSecond,
        double tokensPerSecond, double qualityDelta, int sampleCount) {
    private static final String OWNER = "measurement";

    public Measurement {
        Checks.finiteNonNegative(latencyP50Ms, OWNER, "latency p50 (ms)");
        Checks.finiteNonNegative(latencyP90Ms, OWNER, "latency p90 (ms)");
        Checks.finiteNonNegative(latencyP99Ms, OWNER, "latency p99 (ms)");
        if (latencyP90Ms < latencyP50Ms) {
            throw new IllegalArgumentException(OWNER + ": latency p90 (" + latencyP90Ms + " ms) is below p50 ("
                    + latencyP50Ms + " ms)");
        }
        if (latencyP99Ms < latencyP90Ms) {
            throw new IllegalArgumentException(OWNER + ": latency p99 (" + latencyP99Ms + " ms) is below p90 ("
                    + latencyP90Ms + " ms)");
        }
        Checks.finiteNonNegative(throughputPerSecond, OWNER, "throughput (requests/s)");
        Checks.finiteNonNegative(tokensPerSecond, OWNER, "tokens/s");
        Checks.finite(qualityDelta, OWNER, "quality delta");
        Checks.atLeast(sampleCount, 1, OWNER, "sample count");
    }
}
