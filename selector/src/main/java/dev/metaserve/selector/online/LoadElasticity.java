package dev.metaserve.selector.online;

/**
 * How much a node's load slows requests there, learnt from what was served: the elasticity {@code b} in
 * {@code ln latency = ln idle latency + b * ln load factor}. A batching node absorbs a request more cheaply than its
 * load factor says (b below 1), a long request waits behind short ones for less than their count says; a node whose
 * requests queue one behind the other is near 1. The policy keeps one per {@link LoadGroup} (a node and a batching),
 * pooled over the task classes, and one per (task class, load group) that starts from the group's and is shared by the
 * group's candidates in the class: a class that never ran on a busy node does not have to learn from scratch that its
 * load matters less than in proportion.
 *
 * <p>Estimated as the within-candidate slope: each candidate keeps a {@link Track} of its own observations (ln load
 * factor, score as measured), and the slope pools how score moved with load within each track (a least-squares
 * slope with an intercept per candidate), shrunk towards the parent's current slope (the node's; for a node, the
 * configured prior) by {@code pseudoCount} units of spread of {@code ln load factor}. The policy's beliefs of idle
 * latency do not enter the estimate. Why: measured against what the candidate was believed to take idle, a slope that
 * overestimated made those beliefs too low, most for the candidates served under the most load, which made the next
 * residuals grow with load again: under open arrivals the estimate ran up to the bound and the policy believed a
 * generation of 32 tokens took 13 ms on a 1-thread node ({@code selector-e2e}, 2026-12-02). A candidate always
 * served under the same load says nothing about the slope, and now adds nothing to it. Tracks are discounted by
 * their own requests, so the slope follows a candidate that changes; a candidate no longer served keeps its weight
 * (a known limitation, see the selector README). Adding takes a small lock; reading does not.
 */
final class LoadElasticity {
    /** Observations a track rests on at most: each keeps {@code 1 - 1/TRACK_WINDOW} of the weight before it. */
    static final int TRACK_WINDOW = 128;
    /** The slope is kept within [0, MAX]: load never makes a request faster, nor slower than the factor squared. */
    static final double MAX = 2;
    private static final double KEPT = 1 - 1.0 / TRACK_WINDOW;

    /**
     * One candidate's observations under load, in one task class: discounted sums of weight, ln load factor, score,
     * their squares and products. Fed through one elasticity only (its node's in the class), whose lock guards it.
     */
    static final class Track {
        private double weight;
        private double sumX;
        private double sumY;
        private double sumXX;
        private double sumXY;

        private double covariance() {
            return weight == 0 ? 0 : sumXY - sumX * sumY / weight;
        }

        private double spread() {
            return weight == 0 ? 0 : Math.max(0, sumXX - sumX * sumX / weight);
        }

        private void add(double x, double y) {
            weight = weight * KEPT + 1;
            sumX = sumX * KEPT + x;
            sumY = sumY * KEPT + y;
            sumXX = sumXX * KEPT + x * x;
            sumXY = sumXY * KEPT + x * y;
        }
    }

    /** The centred sums the slope is made of, published together. */
    private record Fit(double covariance, double spread) {
        static final Fit NONE = new Fit(0, 0);
    }

    private final LoadElasticity parent;
    private final double prior;
    private final double pseudoCount;
    /** Guarded by this: the tracks' centred sums, summed (for a load group: over every class's tracks in it). */
    private double covariance;
    private double spread;
    private volatile Fit fit = Fit.NONE;

    /**
     * A load group's elasticity, pooled over the task classes.
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
     * One served request of a candidate; its load group's pooled elasticity learns from it too.
     *
     * @param track         the candidate's track (always fed through this elasticity)
     * @param logLoadFactor ln of the load factor it was sent under (0: an idle node)
     * @param score         its score as measured (log scale), load not taken out
     */
    void add(Track track, double logLoadFactor, double score) {
        if (!learning()) {
            return;
        }
        double covarianceChange;
        double spreadChange;
        synchronized (this) {
            double covarianceBefore = track.covariance();
            double spreadBefore = track.spread();
            track.add(logLoadFactor, score);
            covarianceChange = track.covariance() - covarianceBefore;
            spreadChange = track.spread() - spreadBefore;
            include(covarianceChange, spreadChange);
        }
        if (parent != null) {
            synchronized (parent) {
                parent.include(covarianceChange, spreadChange);
            }
        }
    }

    /** Guarded by this. */
    private void include(double covarianceChange, double spreadChange) {
        covariance += covarianceChange;
        spread = Math.max(0, spread + spreadChange);
        fit = new Fit(covariance, spread);
    }
}
