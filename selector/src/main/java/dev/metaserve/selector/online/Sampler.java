package dev.metaserve.selector.online;

import java.util.SplittableRandom;

/**
 * The arithmetic of one decision. Each candidate's score has a Gaussian posterior: its prior, moved to the level the
 * task class shows in live evidence (with node levels on: the level its node shows, shrunk towards the class's),
 * updated with the candidate's own discounted observations. Thompson sampling draws from each posterior and takes
 * the lowest draw; greedy takes the lowest mean. Scratch arrays and the random
 * generator are per thread, so a decision allocates nothing here and takes no lock.
 */
final class Sampler {
    /** Per-thread working space; after {@link #pick} also holds the decision's numbers. */
    static final class Scratch {
        final SplittableRandom random;
        double[] priorMean = new double[0];
        double[] priorVariance = new double[0];
        double[] quality = new double[0];
        double[] weight = new double[0];
        /** Weighted residual of a candidate's evidence over its prior: what its level estimates draw on. */
        double[] residual = new double[0];
        double[] evidenceMean = new double[0];
        double[] posteriorMean = new double[0];
        /** ln of the load factor a candidate was given in this decision (0 for candidates not open). */
        double[] logLoad = new double[0];
        /** What the load added to a candidate's score: its load group's elasticity times {@code logLoad}. */
        double[] loadOffset = new double[0];
        double[] noiseVariance = new double[0];
        /** Whether a candidate is expected within the tolerance (or among the least lossy when none is). */
        boolean[] eligible = new boolean[0];
        /** Whether a candidate may be chosen in this decision: eligible, and among its node's favoured plans. */
        boolean[] open = new boolean[0];
        /** Sums over the arms of {@code residual} and {@code weight}; the precision of the last posterior computed. */
        double residualSum;
        double weightSum;
        double precision;
        int chosen;
        double chosenSample;
        double bestPosteriorMean;
        boolean withinTolerance;

        Scratch(SplittableRandom random) {
            this.random = random;
        }

        void ensure(int n) {
            if (priorMean.length < n) {
                int size = Math.max(n, 32);
                priorMean = new double[size];
                priorVariance = new double[size];
                quality = new double[size];
                weight = new double[size];
                residual = new double[size];
                evidenceMean = new double[size];
                posteriorMean = new double[size];
                logLoad = new double[size];
                loadOffset = new double[size];
                noiseVariance = new double[size];
                eligible = new boolean[size];
                open = new boolean[size];
            }
        }
    }

    private final boolean thompson;
    private final double explorationFloor;
    private final double levelPseudoCount;
    private final double nodeLevelPseudoCount;
    private final int plansPerNode;
    private final Forgetting forgetting;
    private final SplittableRandom root;
    private final ThreadLocal<Scratch> scratch;

    Sampler(OnlinePolicySettings settings, Forgetting forgetting, long seed) {
        this.thompson = settings.exploration() == Exploration.THOMPSON;
        this.explorationFloor = settings.explorationFloor();
        this.levelPseudoCount = settings.levelPseudoCount();
        this.nodeLevelPseudoCount = settings.nodeLevelPseudoCount();
        this.plansPerNode = settings.plansPerNode();
        this.forgetting = forgetting;
        this.root = new SplittableRandom(seed);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(split()));
    }

    private SplittableRandom split() {
        synchronized (root) { // SplittableRandom is not thread-safe; this runs once per thread
            return root.split();
        }
    }

    /**
     * Chooses among arms whose priors are installed. Only candidates expected within {@code tolerance} may be chosen;
     * when none is, those expected to lose least (as the offline model does).
     *
     * @param load       multiplies each open candidate's expected latency for this decision only, raised to its node's
     *                   elasticity in the class (null: none)
     * @param logMsShift what turns a score into ln(latency ms), to tell the load the latency expected
     */
    Scratch pick(Arm[] arms, double tolerance, long usedNanos, Load load, double logMsShift) {
        int n = arms.length;
        Scratch s = scratch.get();
        s.ensure(n);
        double leastLoss = Double.POSITIVE_INFINITY;
        int feasible = 0;
        s.residualSum = 0;
        s.weightSum = 0;
        for (int i = 0; i < n; i++) {
            readBelief(arms[i], s, i, usedNanos);
            if (s.quality[i] <= tolerance) {
                feasible++;
            }
            leastLoss = Math.min(leastLoss, s.quality[i]);
        }
        boolean within = feasible > 0;
        for (int i = 0; i < n; i++) {
            s.eligible[i] = within ? s.quality[i] <= tolerance : s.quality[i] == leastLoss;
            s.open[i] = s.eligible[i];
            s.logLoad[i] = 0;
            s.loadOffset[i] = 0;
        }
        if (plansPerNode > 0) {
            keepFavouredPerNode(arms, s, n);
        }
        int allowed = 0;
        int chosen = -1;
        double bestSample = Double.POSITIVE_INFINITY;
        double bestMean = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (!s.open[i]) {
                continue;
            }
            allowed++;
            double mean = idleMean(arms, s, n, i);
            double precision = s.precision;
            double logLoad = load == null ? 0
                    : logLoadFactor(load.factor(i, Math.exp(mean + logMsShift)), i);
            double offset = logLoad == 0 ? 0 : arms[i].elasticity.value() * logLoad;
            s.logLoad[i] = logLoad;
            s.loadOffset[i] = offset;
            mean += offset;
            s.posteriorMean[i] = mean;
            bestMean = Math.min(bestMean, mean);
            double sample = thompson ? mean + s.random.nextGaussian() / Math.sqrt(precision) : mean;
            if (sample < bestSample) {
                bestSample = sample;
                chosen = i;
            }
        }
        if (explorationFloor > 0 && allowed > 1 && s.random.nextDouble() < explorationFloor) {
            int k = s.random.nextInt(allowed);
            for (int i = 0; i < n; i++) {
                if (s.open[i] && k-- == 0) {
                    chosen = i;
                    bestSample = s.posteriorMean[i];
                    break;
                }
            }
        }
        s.chosen = chosen;
        s.chosenSample = bestSample;
        s.bestPosteriorMean = bestMean;
        s.withinTolerance = within;
        return s;
    }

    /**
     * What the policy believes of each arm on an idle node, without choosing: the posterior means land in
     * {@code posteriorMean} of the returned scratch (a new one), for snapshots.
     */
    Scratch believe(Arm[] arms, long usedNanos) {
        int n = arms.length;
        Scratch s = new Scratch(null); // its own: the admin path may allocate, and never disturbs a decision's
        s.ensure(n);
        for (int i = 0; i < n; i++) {
            readBelief(arms[i], s, i, usedNanos);
        }
        for (int i = 0; i < n; i++) {
            s.posteriorMean[i] = idleMean(arms, s, n, i);
        }
        return s;
    }

    /** Copies arm {@code i}'s prior and discounted evidence into the scratch, adding to the class's sums. */
    private void readBelief(Arm arm, Scratch s, int i, long usedNanos) {
        Estimate prior = arm.prior().estimate();
        Evidence evidence = arm.evidence();
        double w = forgetting.weightAt(evidence, usedNanos);
        s.priorMean[i] = prior.mean();
        s.priorVariance[i] = prior.variance();
        s.quality[i] = prior.qualityDelta();
        s.weight[i] = w;
        s.evidenceMean[i] = evidence.mean();
        s.noiseVariance[i] = forgetting.noiseVariance(evidence);
        s.residual[i] = w * (evidence.mean() - prior.mean());
        s.residualSum += s.residual[i];
        s.weightSum += w;
    }

    /**
     * Arm {@code i}'s posterior mean score on an idle node: its prior moved to the class's level (which the other
     * arms' evidence shows, so its own data is not counted twice), updated with its own evidence. Leaves the
     * posterior's precision in {@code s.precision}.
     */
    private double idleMean(Arm[] arms, Scratch s, int n, int i) {
        double w = s.weight[i];
        double level = (s.residualSum - s.residual[i]) / (s.weightSum - w + levelPseudoCount);
        if (nodeLevelPseudoCount != Double.POSITIVE_INFINITY) {
            level = nodeLevel(arms, s, n, i, level);
        }
        double noise = s.noiseVariance[i];
        s.precision = 1 / s.priorVariance[i] + w / noise;
        return ((s.priorMean[i] + level) / s.priorVariance[i] + w * s.evidenceMean[i] / noise) / s.precision;
    }

    /**
     * ln of a load factor, which must be finite and above 0.
     *
     * @param candidate the candidate it is of, for the message; -1 for none
     */
    static double logLoadFactor(double factor, int candidate) {
        if (!(factor > 0) || factor == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("online policy: load factor" + (candidate < 0 ? "" : " of candidate "
                    + candidate) + " must be finite and above 0, was " + factor);
        }
        return Math.log(factor);
    }

    /**
     * The level of candidate {@code i}'s node: the evidence of the node's other candidates over their priors, shrunk
     * towards the class's level (which stands for {@code nodeLevelPseudoCount} observations). What one plan of a node
     * showed moves the node's other plans, so a node that turns out slow is not tried plan by plan.
     */
    private double nodeLevel(Arm[] arms, Scratch s, int n, int i, double classLevel) {
        double residual = 0;
        double weight = 0;
        for (int j = 0; j < n; j++) {
            if (j == i || s.weight[j] == 0) {
                continue;
            }
            if (sameNode(arms, i, j)) {
                residual += s.residual[j];
                weight += s.weight[j];
            }
        }
        return (residual + nodeLevelPseudoCount * classLevel) / (weight + nodeLevelPseudoCount);
    }

    /**
     * Closes every eligible candidate that has {@code plansPerNode} or more eligible candidates on its node with a
     * better prior mean (ties: the earlier one is better). Candidates are few, so counting is quadratic and allocates
     * nothing.
     */
    private void keepFavouredPerNode(Arm[] arms, Scratch s, int n) {
        for (int i = 0; i < n; i++) {
            if (!s.eligible[i]) {
                continue;
            }
            int better = 0;
            for (int j = 0; j < n && better < plansPerNode; j++) {
                if (j == i || !s.eligible[j]) {
                    continue;
                }
                boolean favoured = s.priorMean[j] < s.priorMean[i] || s.priorMean[j] == s.priorMean[i] && j < i;
                if (favoured && sameNode(arms, i, j)) {
                    better++;
                }
            }
            s.open[i] = better < plansPerNode;
        }
    }

    /** Whether two candidates are on one node; ids are compared by identity first (the catalog hands out one string). */
    private static boolean sameNode(Arm[] arms, int i, int j) {
        String a = arms[i].candidate.hardware().nodeId();
        String b = arms[j].candidate.hardware().nodeId();
        return a == b || a.equals(b);
    }
}
