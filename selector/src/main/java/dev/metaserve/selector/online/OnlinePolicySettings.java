package dev.metaserve.selector.online;

import java.time.Duration;

/**
 * How the online policy learns and forgets. Defaults in {@link #defaults()}.
 *
 * @param exploration          Thompson sampling (default) or greedy
 * @param evidenceHalfLife     time after which live evidence counts half, so a node that is not chosen any more gets
 *                             unsure again and is tried again; default 60 s. Time the task class is in use: a gap
 *                             between its requests counts at most 5 s ({@code ClassState}), so a class left idle
 *                             keeps what it knew, and one served less often than every 5 s ages slower than the wall
 *                             clock
 * @param evidenceWindow       evidence is also discounted per observation, so a candidate's belief rests on about
 *                             this many recent observations at most, however busy it is; default 32
 * @param observationNoiseSd   spread of one request's score around its candidate's mean, on the log scale; default
 *                             0.25 (a request 28% slower or faster than usual is one standard deviation)
 * @param surpriseSds          an observation farther than this many standard deviations from its candidate's mean
 *                             halves the weight of the evidence before it (see {@code Forgetting}); default 3;
 *                             {@code Infinity} turns this off
 * @param explorationFloor     share of decisions that choose uniformly among the candidates within tolerance; default
 *                             0.01
 * @param levelPseudoCount     how many observations' worth of weight the prior's own level has against the task
 *                             class's level learnt from live evidence; default 1
 * @param nodeLevelPseudoCount how many observations' worth of weight the class's level has against what the other
 *                             candidates of the same node show: a node found slower (or faster) than the model
 *                             expected moves all of its plans, not only the one measured; default {@code Infinity}:
 *                             off, every node follows the class's level ({@code selector-e2e} measured 4 worse)
 * @param loadElasticity       how a node's load factor slows a request before anything was learnt: expected latency
 *                             is multiplied by the factor raised to this; default 1 (proportional)
 * @param loadElasticityPseudoCount weight of that prior against live evidence of how latency grew with load, per task
 *                             class, node and batching (see {@code LoadElasticity}); default 2; {@code Infinity}: not
 *                             learnt
 * @param maxTaskClasses       task classes kept; past it the class observed least recently is dropped; default 4096
 * @param maxCandidatesPerClass candidates kept per class (nodes come and go); past it the one observed least
 *                             recently is dropped; default 256
 * @param regretWindow         decisions per class over which the recent regret is averaged; default 256
 * @param plansPerNode         per node, only this many of its candidates may be chosen: those with the best prior
 *                             means (the model's favourites), so exploration is spent where the model expects the best
 *                             while every node stays open to the choice; 0 (default) lets every candidate be chosen
 */
public record OnlinePolicySettings(Exploration exploration, Duration evidenceHalfLife, int evidenceWindow,
        double observationNoiseSd, double surpriseSds, double explorationFloor, double levelPseudoCount,
        double nodeLevelPseudoCount, double loadElasticity, double loadElasticityPseudoCount, int maxTaskClasses,
        int maxCandidatesPerClass, int regretWindow, int plansPerNode) {
    private static final String OWNER = "online policy settings";

    public OnlinePolicySettings {
        if (exploration == null) {
            throw new IllegalArgumentException(OWNER + ": exploration must not be null");
        }
        if (evidenceHalfLife == null || evidenceHalfLife.isNegative() || evidenceHalfLife.isZero()) {
            throw new IllegalArgumentException(OWNER + ": evidence half-life must be above 0, was " + evidenceHalfLife);
        }
        atLeast(evidenceWindow, 1, "evidence window");
        positive(observationNoiseSd, "observation noise sd");
        if (!(surpriseSds > 0)) {
            throw new IllegalArgumentException(OWNER + ": surprise threshold (sds) must be above 0, was "
                    + surpriseSds);
        }
        if (!(explorationFloor >= 0 && explorationFloor <= 1)) {
            throw new IllegalArgumentException(OWNER + ": exploration floor must be within [0, 1], was "
                    + explorationFloor);
        }
        positive(levelPseudoCount, "level pseudo-count");
        if (!(nodeLevelPseudoCount > 0)) {
            throw new IllegalArgumentException(OWNER + ": node level pseudo-count must be above 0 (Infinity: off), was "
                    + nodeLevelPseudoCount);
        }
        if (!(loadElasticity >= 0 && loadElasticity <= LoadElasticity.MAX)) {
            throw new IllegalArgumentException(OWNER + ": load elasticity must be within [0, " + LoadElasticity.MAX
                    + "], was " + loadElasticity);
        }
        if (!(loadElasticityPseudoCount > 0)) {
            throw new IllegalArgumentException(OWNER + ": load elasticity pseudo-count must be above 0 (Infinity: not"
                    + " learnt), was " + loadElasticityPseudoCount);
        }
        atLeast(maxTaskClasses, 1, "max task classes");
        atLeast(maxCandidatesPerClass, 1, "max candidates per class");
        atLeast(regretWindow, 1, "regret window");
        atLeast(plansPerNode, 0, "plans per node");
    }

    public static OnlinePolicySettings defaults() {
        return new OnlinePolicySettings(Exploration.THOMPSON, Duration.ofSeconds(60), 32, 0.25, 3, 0.01, 1.0,
                Double.POSITIVE_INFINITY, 1.0, 2.0, 4096, 256, 256, 0);
    }

    public OnlinePolicySettings withExploration(Exploration value) {
        return new OnlinePolicySettings(value, evidenceHalfLife, evidenceWindow, observationNoiseSd, surpriseSds,
                explorationFloor, levelPseudoCount, nodeLevelPseudoCount, loadElasticity, loadElasticityPseudoCount,
                maxTaskClasses, maxCandidatesPerClass, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withEvidenceHalfLife(Duration value) {
        return new OnlinePolicySettings(exploration, value, evidenceWindow, observationNoiseSd, surpriseSds,
                explorationFloor, levelPseudoCount, nodeLevelPseudoCount, loadElasticity, loadElasticityPseudoCount,
                maxTaskClasses, maxCandidatesPerClass, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withEvidenceWindow(int value) {
        return new OnlinePolicySettings(exploration, evidenceHalfLife, value, observationNoiseSd, surpriseSds,
                explorationFloor, levelPseudoCount, nodeLevelPseudoCount, loadElasticity, loadElasticityPseudoCount,
                maxTaskClasses, maxCandidatesPerClass, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withSurpriseSds(double value) {
        return new OnlinePolicySettings(exploration, evidenceHalfLife, evidenceWindow, observationNoiseSd, value,
                explorationFloor, levelPseudoCount, nodeLevelPseudoCount, loadElasticity, loadElasticityPseudoCount,
                maxTaskClasses, maxCandidatesPerClass, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withExplorationFloor(double value) {
        return new OnlinePolicySettings(exploration, evidenceHalfLife, evidenceWindow, observationNoiseSd, surpriseSds,
                value, levelPseudoCount, nodeLevelPseudoCount, loadElasticity, loadElasticityPseudoCount,
                maxTaskClasses, maxCandidatesPerClass, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withMaxTaskClasses(int value) {
        return new OnlinePolicySettings(exploration, evidenceHalfLife, evidenceWindow, observationNoiseSd, surpriseSds,
                explorationFloor, levelPseudoCount, nodeLevelPseudoCount, loadElasticity, loadElasticityPseudoCount,
                value, maxCandidatesPerClass, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withMaxCandidatesPerClass(int value) {
        return new OnlinePolicySettings(exploration, evidenceHalfLife, evidenceWindow, observationNoiseSd, surpriseSds,
                explorationFloor, levelPseudoCount, nodeLevelPseudoCount, loadElasticity, loadElasticityPseudoCount,
                maxTaskClasses, value, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withNodeLevelPseudoCount(double value) {
        return new OnlinePolicySettings(exploration, evidenceHalfLife, evidenceWindow, observationNoiseSd, surpriseSds,
                explorationFloor, levelPseudoCount, value, loadElasticity, loadElasticityPseudoCount, maxTaskClasses,
                maxCandidatesPerClass, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withLoadElasticity(double prior, double pseudoCount) {
        return new OnlinePolicySettings(exploration, evidenceHalfLife, evidenceWindow, observationNoiseSd, surpriseSds,
                explorationFloor, levelPseudoCount, nodeLevelPseudoCount, prior, pseudoCount, maxTaskClasses,
                maxCandidatesPerClass, regretWindow, plansPerNode);
    }

    public OnlinePolicySettings withPlansPerNode(int value) {
        return new OnlinePolicySettings(exploration, evidenceHalfLife, evidenceWindow, observationNoiseSd, surpriseSds,
                explorationFloor, levelPseudoCount, nodeLevelPseudoCount, loadElasticity, loadElasticityPseudoCount,
                maxTaskClasses, maxCandidatesPerClass, regretWindow, value);
    }

    private static void atLeast(int value, int min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(OWNER + ": " + field + " must be >= " + min + ", was " + value);
        }
    }

    private static void positive(double value, String field) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(OWNER + ": " + field + " must be finite and above 0, was " + value);
        }
    }
}
