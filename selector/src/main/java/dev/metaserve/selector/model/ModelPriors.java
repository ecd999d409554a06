package dev.metaserve.selector.model;

import dev.metaserve.selector.online.Estimate;
import dev.metaserve.selector.online.PriorSource;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;

/**
 * The offline model as the online policy's starting belief: a candidate's predicted score relative to its task's mean
 * (the policy learns the task's level from live evidence), with one spread for all, and the quality loss the model's
 * gate expects of it.
 */
public final class ModelPriors implements PriorSource {
    /**
     * Default standard deviation of a prior on the log scale: 0.35, a factor of about 1.4 either way, the size of the
     * model's typical error on held-out tasks (mean regret 7-12% with most mistakes among near-ties, a few 2x off).
     */
    public static final double DEFAULT_SD = 0.35;

    private final SelectorModel model;
    private final double variance;

    /** @param sd how unsure every prior is, on the log scale; finite and above 0 */
    public ModelPriors(SelectorModel model, double sd) {
        if (model == null) {
            throw new IllegalArgumentException("model priors: model must not be null");
        }
        if (!Double.isFinite(sd) || sd <= 0) {
            throw new IllegalArgumentException("model priors: standard deviation must be finite and above 0, was "
                    + sd);
        }
        this.model = model;
        this.variance = sd * sd;
    }

    public ModelPriors(SelectorModel model) {
        this(model, DEFAULT_SD);
    }

    /** The served model's id, which the policy shows as its version. */
    public String version() {
        return model.header().modelId();
    }

    @Override
    public Estimate prior(TaskProfile task, Candidate candidate) {
        return priors(task, List.of(candidate))[0];
    }

    @Override
    public Estimate[] priors(TaskProfile task, List<Candidate> candidates) {
        double[] relative = model.performance().predict(task, candidates);
        Estimate[] out = new Estimate[candidates.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Estimate(relative[i], variance, model.quality().estimate(task, candidates.get(i)));
        }
        return out;
    }

    @Override
    public String toString() {
        return "priors of " + version();
    }
}
