package dev.metaserve.selector.online;

/**
 * How much a node's load slows one task class there, learnt from what was served: the elasticity {@code b} in
 * {@code ln latency = ln idle latency + b * ln load factor}. A batching node absorbs a request more cheaply than its
 * load factor says (b below 1), a long request waits behind short ones for less than their count says; a node whose
 * requests queue one behind the other is near 1. One per (task class, node), shared by the node's candidates there.
 *
 * <p>Estimated by a weighted least-squares slope with intercept of each observation's residual (its score over what
 * the candidate was believed to take on an idle node when it was chosen) on {@code ln load factor}, shrunk towards a
 * prior slope that counts as {@code pseudoCount} units of spread. The intercept takes up a candidate believed too fast
 * or slow overall, so only how the residual grows with load moves the slope. Observations are discounted by number (a
 * window), so the slope follows a node that changes. Adding takes a small lock; reading does not.
 */
final class LoadElasticity {
    /** Observations the slope rests on at most: each keeps {@code 1 - 1/WINDOW} of the weight before it. */
    static final int WINDOW = 256;
    /** The slope is kept within [0, MAX]: load never makes a request faster, nor slower than twice the factor. */
    static final double MAX = 2;
    private static final double KEPT = 1 - 1.0 / WINDOW;

    private final double prior;
    private final double pseudoCount;
    /** Guarded by this: discounted sums of weight, x, residual, x squared and x times residual. */
    private double weight;
    private double sumX;
    private double sumResidual;
    private double sumXX;
    private double sumXResidual;
    private volatile double value;

    /**
     * @param prior       the slope before evidence, within [0, {@link #MAX}]
     * @param pseudoCount weight of the prior against the evidence's spread of {@code ln load factor}; infinite: the
     *                    slope stays at the prior
     */
    LoadElasticity(double prior, double pseudoCount) {
        this.prior = prior;
        this.pseudoCount = pseudoCount;
        this.value = prior;
    }

    /** The current slope. */
    double value() {
        return value;
    }

    /** Whether observations can move the slope. */
    boolean learning() {
        return pseudoCount != Double.POSITIVE_INFINITY;
    }

    /**
     * One served request.
     *
     * @param logLoadFactor ln of the load factor it was sent under (0: an idle node)
     * @param residual      its score minus the idle score its candidate was believed to have when it was chosen
     */
    synchronized void add(double logLoadFactor, double residual) {
        if (!learning()) {
            return;
        }
        weight = weight * KEPT + 1;
        sumX = sumX * KEPT + logLoadFactor;
        sumResidual = sumResidual * KEPT + residual;
        sumXX = sumXX * KEPT + logLoadFactor * logLoadFactor;
        sumXResidual = sumXResidual * KEPT + logLoadFactor * residual;
        double spread = Math.max(0, sumXX - sumX * sumX / weight);
        double covariance = sumXResidual - sumX * sumResidual / weight;
        double slope = (pseudoCount * prior + covariance) / (pseudoCount + spread);
        value = Math.min(MAX, Math.max(0, slope));
    }
}
