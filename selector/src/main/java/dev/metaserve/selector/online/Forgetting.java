package dev.metaserve.selector.online;

/**
 * Discounting of live evidence, three ways. By age (a half-life on its task class's clock of use, {@link ClassState}):
 * a candidate nobody chose lately becomes uncertain again, so it is retried. By number (each observation keeps
 * {@code 1 - 1/window} of the weight before it): a busy candidate's belief follows its last few dozen requests. By
 * surprise: an observation more than a few standard deviations from the candidate's mean halves the weight before it,
 * so a node that turns five times slower loses within three or four of its requests, while a lone outlier moves the
 * mean only a little. The spread that decides what is surprising is learnt from the observations that were not: for a
 * node whose scores are simply noisy, few are, and the spread still converges to nearly the true one.
 */
final class Forgetting {
    /** Evidence weight below which an observation cannot surprise: too little is known to be sure it is off. */
    static final double SURE_WEIGHT = 2;
    private static final double KEPT_ON_SURPRISE = 0.5;

    private final double decayPerNano;
    private final double keptPerObservation;
    private final double noiseVariance;
    private final double surpriseSds;

    Forgetting(OnlinePolicySettings settings) {
        this.decayPerNano = Math.log(2) / settings.evidenceHalfLife().toNanos();
        this.keptPerObservation = 1 - 1.0 / settings.evidenceWindow();
        this.noiseVariance = settings.observationNoiseSd() * settings.observationNoiseSd();
        this.surpriseSds = settings.surpriseSds();
    }

    /** The evidence's weight at {@code usedNanos}, a reading of its task class's clock of use ({@link ClassState}). */
    double weightAt(Evidence evidence, long usedNanos) {
        double weight = evidence.weight();
        if (weight == 0) {
            return 0;
        }
        return weight * aged(evidence.atNanos(), usedNanos);
    }

    /** What the half-life leaves at {@code usedNanos} of a weight given at {@code atNanos} (both on a clock of use). */
    double aged(long atNanos, long usedNanos) {
        long age = usedNanos - atNanos;
        return age <= 0 ? 1 : Math.exp(-age * decayPerNano);
    }

    /** Variance of one observation around the candidate's mean: what was seen, but at least the configured noise. */
    double noiseVariance(Evidence evidence) {
        return Math.max(noiseVariance, evidence.variance());
    }

    /** The evidence after one more observation of {@code score} at {@code usedNanos}. */
    Evidence add(Evidence evidence, double score, long usedNanos) {
        double before = weightAt(evidence, usedNanos);
        double kept = before * keptPerObservation;
        double deviation = score - evidence.mean();
        boolean surprise = before >= SURE_WEIGHT
                && deviation * deviation > surpriseSds * surpriseSds * noiseVariance(evidence);
        if (surprise) {
            kept *= KEPT_ON_SURPRISE;
        }
        double squares = before == 0 ? 0 : evidence.squares() * (kept / evidence.weight());
        double weight = kept + 1;
        double mean = evidence.mean() + deviation / weight;
        if (!surprise) {
            // weighted Welford update. A surprise does not count as spread: were it counted, the first request of a
            // slowdown would widen the spread enough that the next ones no longer surprise
            squares += deviation * (score - mean);
        }
        return new Evidence(mean, squares, weight, Math.max(usedNanos, evidence.atNanos()), evidence.count() + 1);
    }
}
