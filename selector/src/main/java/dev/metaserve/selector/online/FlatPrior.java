package dev.metaserve.selector.online;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;

/**
 * A prior that knows nothing: every candidate alike, with a wide spread, so live evidence decides alone. It knows
 * nothing of quality either: every candidate counts as within any tolerance. For tests and for a gateway that has no
 * trained model yet.
 */
public final class FlatPrior implements PriorSource {
    /** Standard deviation of the default flat prior on the log scale: a factor e^4, about 55, either way. */
    public static final double DEFAULT_SD = 4.0;
    /** The default flat prior: mean 0, standard deviation {@value #DEFAULT_SD}, no quality loss. */
    public static final FlatPrior INSTANCE = new FlatPrior(DEFAULT_SD);

    private final Estimate estimate;

    /** A flat prior with the given standard deviation on the log scale (above 0). */
    public FlatPrior(double sd) {
        if (!Double.isFinite(sd) || sd <= 0) {
            throw new IllegalArgumentException("flat prior: standard deviation must be finite and above 0, was " + sd);
        }
        this.estimate = new Estimate(0, sd * sd, 0);
    }

    @Override
    public Estimate prior(TaskProfile task, Candidate candidate) {
        return estimate;
    }
}
