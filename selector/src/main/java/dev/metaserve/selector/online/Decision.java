package dev.metaserve.selector.online;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;

/**
 * What the policy chose for one request, and what it believed when it did. Hand it back to
 * {@link OnlinePolicy#observe(Decision, double)} once the request was served. A value with a private link to the
 * policy's state (so an observation needs no lookup), hence a class and not a record.
 */
public final class Decision {
    private final TaskProfile task;
    private final Candidate candidate;
    private final int index;
    private final double sampledScore;
    private final double posteriorMean;
    private final double bestPosteriorMean;
    private final String modelVersion;
    private final boolean withinTolerance;
    /** ln of the load factor the candidate was chosen under; 0 without load. */
    final double logLoad;
    /** Whether the decision was given a load (so its observation can teach how load slows). */
    final boolean loadGiven;
    private final double expectedIdleLatencyMs;
    final OnlinePolicy policy;
    final ClassState classState;
    final Arm arm;

    Decision(TaskProfile task, Candidate candidate, int index, double sampledScore, double posteriorMean,
            double bestPosteriorMean, String modelVersion, boolean withinTolerance, boolean loadGiven, double logLoad,
            double expectedIdleLatencyMs, OnlinePolicy policy, ClassState classState, Arm arm) {
        this.task = task;
        this.candidate = candidate;
        this.index = index;
        this.sampledScore = sampledScore;
        this.posteriorMean = posteriorMean;
        this.bestPosteriorMean = bestPosteriorMean;
        this.modelVersion = modelVersion;
        this.withinTolerance = withinTolerance;
        this.loadGiven = loadGiven;
        this.logLoad = logLoad;
        this.expectedIdleLatencyMs = expectedIdleLatencyMs;
        this.policy = policy;
        this.classState = classState;
        this.arm = arm;
    }

    public TaskProfile task() {
        return task;
    }

    /** The task class whose evidence the decision used. */
    public TaskClass taskClass() {
        return classState.key;
    }

    public Candidate candidate() {
        return candidate;
    }

    /** Position of the chosen candidate in the list given to {@code choose}. */
    public int index() {
        return index;
    }

    /** The score drawn for the chosen candidate (its posterior mean when greedy or exploring uniformly). */
    public double sampledScore() {
        return sampledScore;
    }

    /** The chosen candidate's posterior mean score (log scale, lower is better), its load included. */
    public double posteriorMean() {
        return posteriorMean;
    }

    /** The lowest posterior mean among the candidates that could be chosen. */
    public double bestPosteriorMean() {
        return bestPosteriorMean;
    }

    /**
     * The policy's own estimate of what exploring cost: the chosen candidate's expected latency over the best one's,
     * minus 1 (for throughput, the best throughput over the chosen one's, minus 1); 0 when it chose what it believes
     * best.
     */
    public double estimatedRegret() {
        return Math.exp(posteriorMean - bestPosteriorMean) - 1;
    }

    /**
     * The load factor of the chosen candidate's node when it was chosen, as the {@link Load} gave it; 1 without load.
     * The policy expected it to slow the request by this raised to the {@link #loadElasticity}.
     */
    public double loadFactor() {
        return Math.exp(logLoad);
    }

    /**
     * How the load was expected to slow the request: the elasticity learnt for the class on the candidate's node
     * under its batching ({@link LoadGroup}), as of now.
     */
    public double loadElasticity() {
        return arm.elasticity.value();
    }

    /** The latency the policy expected of the chosen candidate on an idle node, in milliseconds. */
    public double expectedIdleLatencyMs() {
        return expectedIdleLatencyMs;
    }

    /** Version of the model whose priors the decision used. */
    public String modelVersion() {
        return modelVersion;
    }

    /**
     * Whether some candidate was expected within the task's quality tolerance; when none was, the choice fell among
     * those expected to lose least.
     */
    public boolean withinTolerance() {
        return withinTolerance;
    }

    @Override
    public String toString() {
        return "decision " + candidate + " for " + classState.key + " (model " + modelVersion + ")";
    }
}
