package dev.metaserve.selector.online;

/**
 * What a prior source expects of a candidate on a task, before any live evidence.
 *
 * @param mean         expected score on the log scale of {@code PerformanceScore} (lower is better): {@code ln(latency
 *                     ms)} for latency, {@code -ln(requests/s)} for throughput. Only differences between the candidates
 *                     of one task need to be right: the policy learns the task's level from live evidence, so a model
 *                     that predicts scores relative to the task's mean works as well as one that predicts them whole
 * @param variance     how unsure that mean is, on the same scale; finite and above 0
 * @param qualityDelta expected quality lost versus fp32 with plain decoding, on the scale of the task's tolerance;
 *                     {@code +Infinity} when nothing like the candidate is known (it is then never within tolerance)
 */
public record Estimate(double mean, double variance, double qualityDelta) {
    public Estimate {
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("estimate: mean must be a finite number, was " + mean);
        }
        if (!Double.isFinite(variance) || variance <= 0) {
            throw new IllegalArgumentException("estimate: variance must be finite and above 0, was " + variance);
        }
        if (Double.isNaN(qualityDelta) || qualityDelta == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("estimate: quality delta must be a number or +Infinity, was "
                    + qualityDelta);
        }
    }
}
