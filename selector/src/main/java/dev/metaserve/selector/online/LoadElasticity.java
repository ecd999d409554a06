package dev.metaserve.selector.online;

/**
 * How much a node's load slows requests there, learnt from what was served: the elasticity {@code b} in
 * {@code ln latency = ln idle latency + b * ln load factor}. A batching node absorbs a request more cheaply than its
 * load factor says (b below 1), a long request waits behind short ones for less than their count says; a node whose
 * requests queue one behind the other is near 1. The policy keeps one per node, pooled over the task classes, and one
 * per (task class, node) that starts from its node's and is shared by the node's candidates in the class: a class that
 * never ran on a busy node does not have to learn from scratch that its load matters less than in proportion.
 *
 * <p>Estimated by a weighted least-squares slope with intercept of each observation's residual (its score over what
 * the candidate was believed to take on an idle node when it was chosen) on {@code ln load factor}, shrunk towards the
 * parent's current slope (the node's; for a node, the configured prior) by {@code pseudoCount} units of spread of
 * {@code ln load factor}. The intercept takes up a candidate believed too fast or slow overall, so only how the
 * residual grows with load moves the slope. Observations are discounted by number (a window), so the slope follows a
 * node that changes. Adding takes a small lock; reading does not.
 */
final class LoadElasticity {
    /** Observations the slope rests on at most: each keeps {@code 1 - 1/WINDOW} of the weight before it. */
    static final int WINDOW = 256;
    /** The slope is kept within [0, MAX]: load never makes a request faster, nor slower than the factor squared. */
    static final double MAX = 2;
    private static final double KEPT = 1 - 1.0 / WINDOW;

    /** The centred sums the slope is made of, published together. */
    private record Fit(double covariance, double spread) {
        static final Fit NONE = new Fit(0, 0);
    }

    private final LoadElasticity parent;
    private final double prior;
    private final double pseudoCount;
    /** Guarded by this: discounted sums of weight, x, residual, x squared and x times residual. */
    private double weight;
    private double sumX;
    private double sumResidual;
    private double sumXX;
    private double sumXResidual;
    private volatile Fit fit = Fit.NONE;

    /**
     * A node's elasticity.
     *
     * @param prior       the slope before evidence, within [0, {@link #MAX}]
     * @param pseudoCount weight of the prior against the evidence's spread of {@code ln load factor}; infinite: the
     *                    slope stays at the prior
     */
    LoadElasticity(double prior, double pseudoCount) {
        this(null, prior, pseudoCount);
    }

    /** A task class's elasticity on a node: starts from, and is shrunk towards, the node's. */
    LoadElasticity(LoadElasticity node, double pseudoCount) {
        this(node, node.prior, pseudoCount);
    }

    private LoadElasticity(LoadElasticity parent, double prior, double pseudoCount) {
        this.parent = parent;
        this.prior = prior;
        this.pseudoCount = pseudoCount;
    }

    /** The current slope. */
    double value() {
        double start = parent == null ? prior : parent.value();
        if (!learning()) {
            return start;
        }
        Fit f = fit;
        double slope = (pseudoCount * start + f.covariance()) / (pseudoCount + f.spread());
        return Math.min(MAX, Math.max(0, slope));
    }

    /** Whether observations can move the slope. */
    boolean learning() {
        return pseudoCount != Double.POSITIVE_INFINITY;
    }

    /**
     * One served request; its node's elasticity learns from it too.
     *
     * @param logLoadFactor ln of the load factor it was sent under (0: an idle node)
     * @param residual      its score minus the idle score its candidate was believed to have when it was chosen
     */
    void add(double logLoadFactor, double residual) {
        if (!learning()) {
            return;
        }
        synchronized (this) {
            weight = weight * KEPT + 1;
            sumX = sumX * KEPT + logLoadFactor;
            sumResidual = sumResidual * KEPT + residual;
            sumXX = sumXX * KEPT + logLoadFactor * logLoadFactor;
            sumXResidual = sumXResidual * KEPT + logLoadFactor * residual;
            fit = new Fit(sumXResidual - sumX * sumResidual / weight, Math.max(0, sumXX - sumX * sumX / weight));
        }
        if (parent != null) {
            parent.add(logLoadFactor, residual);
        }
    }
}
