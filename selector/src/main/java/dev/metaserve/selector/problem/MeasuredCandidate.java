package dev.metaserve.selector.problem;

import java.util.Objects;

/**
 * A candidate with what it achieved on one task, averaged over its observations.
 *
 * @param candidate           the node and plan
 * @param latencyP50Ms        median latency, geometric mean over observations
 * @param throughputPerSecond requests per second, geometric mean over observations
 * @param qualityDelta        quality lost versus fp32 plain, mean over observations
 * @param observations        observations averaged, at least 1
 */
public record MeasuredCandidate(Candidate candidate, double latencyP50Ms, double throughputPerSecond,
        double qualityDelta, int observations) {
    public MeasuredCandidate {
        Objects.requireNonNull(candidate, "measured candidate: candidate must not be null");
        if (observations < 1) {
            throw new IllegalArgumentException("measured candidate: observations must be >= 1, was " + observations);
        }
    }
}
