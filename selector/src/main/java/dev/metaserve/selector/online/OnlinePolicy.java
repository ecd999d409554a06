package dev.metaserve.selector.online;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Chooses a candidate (node and plan) per request and keeps learning from what was served: Thompson sampling over a
 * Gaussian belief per (task class, candidate) on the log-scale score, started from the offline model's priors and
 * updated with discounted live evidence. Safe for use from many threads; a decision takes no lock once its task class
 * and candidates are known, and consults the prior source only for pairs it has no prior for from the current model.
 */
public final class OnlinePolicy {
    /** Floor of latencies before the log, so a 0 measured stays finite. */
    static final double LATENCY_FLOOR_MS = 1e-6;

    private record PriorModel(PriorSource source, String version, long generation) {}

    private record NodePlan(String nodeId, Plan plan) {}

    private final OnlinePolicySettings settings;
    private final LongSupplier nanoClock;
    private final Forgetting forgetting;
    private final Sampler sampler;
    private final Map<TaskClass, ClassState> classes = new ConcurrentHashMap<>();
    private final Map<NodePlan, LongAdder> nodePlanDecisions = new ConcurrentHashMap<>();
    /** Per load group, how its node's load slows requests, pooled over task classes (where each class's starts). */
    private final Map<LoadGroup, LoadElasticity> groupElasticities = new ConcurrentHashMap<>();
    private final Function<LoadGroup, LoadElasticity> groupElasticity = this::groupElasticity;
    private final LongAdder observations = new LongAdder();
    private final Object swapLock = new Object();
    private final Object evictionLock = new Object();
    private final ClassState.ArmMaker armMaker = this::newArm; // one instance, not per decision
    private volatile PriorModel model;

    /**
     * @param priors       where beliefs start
     * @param modelVersion the priors' model version, shown in snapshots
     * @param settings     how to learn and forget
     * @param nanoClock    a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own)
     * @param seed         seed of the sampling, so a test's decisions repeat
     */
    public OnlinePolicy(PriorSource priors, String modelVersion, OnlinePolicySettings settings, LongSupplier nanoClock,
            long seed) {
        if (settings == null || nanoClock == null) {
            throw new IllegalArgumentException("online policy: settings and clock must not be null");
        }
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.model = new PriorModel(requirePriors(priors), requireVersion(modelVersion), 1);
        this.forgetting = new Forgetting(settings);
        this.sampler = new Sampler(settings, forgetting, seed);
    }

    /** A policy with the default settings, the system's clock and a random seed. */
    public static OnlinePolicy create(PriorSource priors, String modelVersion) {
        return new OnlinePolicy(priors, modelVersion, OnlinePolicySettings.defaults(), System::nanoTime,
                ThreadLocalRandom.current().nextLong());
    }

    /**
     * Chooses one of {@code available} for the task. Pass the same {@code Candidate} instances from request to
     * request where possible (the list may be a new one): a repeated set then costs no hashing.
     *
     * @throws IllegalArgumentException when the task is null or there is no candidate
     */
    public Decision choose(TaskProfile task, List<Candidate> available) {
        return choose(task, available, (Load) null);
    }

    /**
     * As {@link #choose(TaskProfile, List)}, with each candidate's score moved by {@code offsets[i]} for this decision
     * only (log scale): a {@link Load} whose factors do not depend on the request.
     *
     * @param offsets one finite number per candidate, or null for none
     * @throws IllegalArgumentException when the task is null, there is no candidate, or the offsets do not fit
     */
    public Decision choose(TaskProfile task, List<Candidate> available, double[] offsets) {
        if (offsets == null) {
            return choose(task, available, (Load) null);
        }
        if (available == null || offsets.length != available.size()) {
            throw new IllegalArgumentException("online policy: " + offsets.length + " offsets for "
                    + (available == null ? 0 : available.size()) + " candidates");
        }
        for (double offset : offsets) {
            requireFiniteScore(offset);
        }
        return choose(task, available, (i, expectedMs) -> Math.exp(offsets[i]));
    }

    /**
     * As {@link #choose(TaskProfile, List)}, with each candidate's expected latency multiplied by the load factor of
     * its node for this decision only, raised to the elasticity of its node and batching in the task class
     * ({@link LoadElasticity}, {@link LoadGroup}): beliefs hold each candidate's latency on an idle node. Give
     * {@link #observe(Decision, double)} the latency as measured: the policy takes the load out itself, and learns
     * from it how load slows the class on that node under that batching.
     *
     * @param load the candidates' load factors, or null for none
     * @throws IllegalArgumentException when the task is null, there is no candidate, or a load factor is not finite
     *                                  and above 0
     */
    public Decision choose(TaskProfile task, List<Candidate> available, Load load) {
        if (task == null) {
            throw new IllegalArgumentException("online policy: task must not be null");
        }
        if (available == null || available.isEmpty()) {
            throw new IllegalArgumentException("online policy: no candidates to choose among for " + task.model());
        }
        long now = nanoClock.getAsLong();
        PriorModel current = model;
        ClassState state = classFor(task, now);
        Arm[] arms = state.arms(available, armMaker, now);
        ensurePriors(state, arms, current);
        double logMsShift = logLatencyShift(task);
        Sampler.Scratch s = sampler.pick(arms, task.qualityTolerance(), state.usedNanos(now), load, logMsShift);
        Arm chosen = arms[s.chosen];
        double chosenMean = s.posteriorMean[s.chosen];
        double idleScore = chosenMean - s.loadOffset[s.chosen];
        chosen.nodePlanDecisions.increment();
        state.decisions.increment();
        state.regret.add(Math.exp(chosenMean - s.bestPosteriorMean) - 1);
        return new Decision(task, chosen.candidate, s.chosen, s.chosenSample, chosenMean, s.bestPosteriorMean,
                current.version(), s.withinTolerance, load != null, s.logLoad[s.chosen],
                Math.exp(idleScore + logMsShift), this, state, chosen);
    }

    /**
     * Learns from a served request: its latency as measured, in milliseconds, under the load it was chosen under.
     * For a throughput task the latency stands for the throughput by Little's law ({@code concurrency / latency}), on
     * the offline score's scale.
     */
    public void observe(Decision decision, double latencyMs) {
        requireOwn(decision);
        observeScore(decision, score(decision.task(), latencyMs));
    }

    /** Learns from a served request whose score (log scale, lower is better) the caller computed itself. */
    public void observeScore(Decision decision, double score) {
        requireOwn(decision);
        requireFiniteScore(score);
        long now = nanoClock.getAsLong();
        Arm arm = decision.arm;
        if (decision.loadGiven) {
            arm.elasticity.add(arm.chosenLoads, decision.logLoad, score);
        }
        long used = decision.classState.observed(now);
        arm.calibrate(score - decision.posteriorMean(), decision.logLoad, used, forgetting);
        arm.observe(score - arm.elasticity.value() * decision.logLoad, used, forgetting);
        observations.increment();
    }

    /** Learns from a request served outside a decision of this policy on an idle node. */
    public void observe(TaskProfile task, Candidate candidate, double latencyMs) {
        observe(task, candidate, latencyMs, 1);
    }

    /**
     * Learns from a request served outside a decision of this policy (a named plan, a retry elsewhere, another
     * gateway): its latency as measured, under {@code loadFactor} (as a {@link Load} gives it; 1: an idle node). The
     * load is taken out with the elasticity learnt so far, which it teaches too (on a track of the candidate's own,
     * apart from its chosen requests: the caller may count load another way than its decisions' {@link Load}).
     */
    public void observe(TaskProfile task, Candidate candidate, double latencyMs, double loadFactor) {
        if (task == null || candidate == null) {
            throw new IllegalArgumentException("online policy: task and candidate must not be null");
        }
        double logLoad = Sampler.logLoadFactor(loadFactor, -1);
        double score = score(task, latencyMs);
        long now = nanoClock.getAsLong();
        ClassState state = classFor(task, now);
        Arm arm = state.arm(candidate, armMaker, now);
        arm.elasticity.add(arm.namedLoads, logLoad, score);
        long used = state.observed(now);
        arm.observe(score - arm.elasticity.value() * logLoad, used, forgetting);
        observations.increment();
    }

    /**
     * Puts a new model's priors in service. Priors of every (class, candidate) pair held are computed here, on the
     * caller's thread, before the swap, so decisions never wait for the model; pairs that appear meanwhile get theirs
     * at their first decision. Live evidence is kept: it measured the nodes, not the model, and the new priors are
     * moved to the level it shows just as the old ones were. Swaps are serialised; decisions are not stopped.
     *
     * @throws IllegalArgumentException when the source is null or the version blank
     * @throws RuntimeException         whatever the new source throws for a held pair; the current model stays
     */
    public void replacePriors(PriorSource next, String modelVersion) {
        requirePriors(next);
        requireVersion(modelVersion);
        synchronized (swapLock) {
            long generation = model.generation() + 1;
            List<ClassState> held = new ArrayList<>(classes.values());
            List<Estimate[]> computed = new ArrayList<>(held.size());
            List<List<Arm>> armsOf = new ArrayList<>(held.size());
            for (ClassState state : held) {
                List<Arm> arms = state.allArms();
                computed.add(priorsOf(next, state, arms));
                armsOf.add(arms);
            }
            for (int c = 0; c < held.size(); c++) {
                List<Arm> arms = armsOf.get(c);
                for (int i = 0; i < arms.size(); i++) {
                    arms.get(i).installPrior(computed.get(c)[i], generation);
                }
            }
            model = new PriorModel(next, modelVersion, generation);
        }
    }

    /** Version of the model whose priors new decisions use. */
    public String modelVersion() {
        return model.version();
    }

    /** Counts and recent regret, for the admin endpoint. */
    public PolicySnapshot snapshot() {
        Map<String, Long> perPlan = new HashMap<>();
        Map<String, Long> perNode = new HashMap<>();
        long decisions = 0;
        for (Map.Entry<NodePlan, LongAdder> e : nodePlanDecisions.entrySet()) {
            long n = e.getValue().sum();
            decisions += n;
            perPlan.merge(e.getKey().plan().toString(), n, Long::sum);
            perNode.merge(e.getKey().nodeId(), n, Long::sum);
        }
        List<TaskClassStats> stats = new ArrayList<>();
        double regretSum = 0;
        long regretCount = 0;
        for (ClassState state : classes.values()) {
            int recent = state.regret.count();
            double mean = state.regret.mean();
            regretSum += mean * recent;
            regretCount += recent;
            stats.add(new TaskClassStats(state.key.toString(), state.decisions.sum(), state.observations.sum(), recent,
                    mean, state.elasticities(), beliefs(state)));
        }
        stats.sort(Comparator.comparing(TaskClassStats::taskClass));
        return new PolicySnapshot(model.version(), decisions, observations.sum(), perPlan, perNode,
                regretCount == 0 ? 0 : regretSum / regretCount, stats);
    }

    /** What the policy believes of the class's candidates that have a prior, fastest first. */
    private List<CandidateBelief> beliefs(ClassState state) {
        Arm[] arms = state.allArms().stream().filter(a -> a.prior() != null).toArray(Arm[]::new);
        if (arms.length == 0) {
            return List.of();
        }
        long used = state.usedNanos(nanoClock.getAsLong());
        Sampler.Scratch s = sampler.believe(arms, used);
        double favourite = Double.POSITIVE_INFINITY;
        for (int i = 0; i < arms.length; i++) {
            favourite = Math.min(favourite, s.priorMean[i]); // the priors the beliefs were computed from
        }
        double logMsShift = logLatencyShift(state.representative);
        List<CandidateBelief> beliefs = new ArrayList<>(arms.length);
        for (int i = 0; i < arms.length; i++) {
            Arm arm = arms[i];
            Evidence evidence = arm.evidence();
            Arm.Calibration chosen = arm.calibration();
            beliefs.add(new CandidateBelief(arm.candidate.hardware().nodeId(), arm.candidate.plan().toString(),
                    Math.exp(s.posteriorMean[i] + logMsShift), Math.exp(s.priorMean[i] - favourite),
                    s.weight[i], evidence.count(), chosen.weightAt(used, forgetting), chosen.servedToExpected(),
                    chosen.loadFactor()));
        }
        beliefs.sort(Comparator.comparingDouble(CandidateBelief::idleLatencyMs));
        return beliefs;
    }

    /**
     * A served request's score on the offline scale (lower is better): {@code ln(latency ms)} for latency;
     * {@code -ln(concurrency * 1000 / latency ms)} for throughput.
     */
    public static double score(TaskProfile task, double latencyMs) {
        if (!Double.isFinite(latencyMs) || latencyMs < 0) {
            throw new IllegalArgumentException("online policy: latency must be a finite number of ms >= 0, was "
                    + latencyMs);
        }
        double logLatency = Math.log(Math.max(latencyMs, LATENCY_FLOOR_MS));
        return logLatency - logLatencyShift(task);
    }

    /** What turns a score into ln(latency ms): nothing for latency, {@code ln(1000 * concurrency)} for throughput. */
    static double logLatencyShift(TaskProfile task) {
        return task.objective() == Objective.LATENCY ? 0 : Math.log(1000.0 * task.concurrency());
    }

    private ClassState classFor(TaskProfile task, long now) {
        TaskClass key = TaskClass.of(task);
        ClassState state = classes.get(key);
        if (state != null) {
            return state;
        }
        state = classes.computeIfAbsent(key, k -> new ClassState(k, task, settings, groupElasticity, now));
        if (classes.size() > settings.maxTaskClasses()) {
            evictStalestClasses(key);
        }
        return state;
    }

    private void evictStalestClasses(TaskClass keep) {
        synchronized (evictionLock) {
            int excess = classes.size() - settings.maxTaskClasses();
            if (excess <= 0) {
                return;
            }
            classes.values().stream()
                    .filter(c -> !c.key.equals(keep))
                    .sorted(Comparator.comparingLong(ClassState::lastObservedNanos))
                    .limit(excess)
                    .forEach(c -> classes.remove(c.key, c));
        }
    }

    private LoadElasticity groupElasticity(LoadGroup group) {
        return groupElasticities.computeIfAbsent(group,
                n -> new LoadElasticity(settings.loadElasticity(), settings.loadElasticityPseudoCount()));
    }

    private Arm newArm(Candidate candidate, LoadElasticity elasticity, long usedNanos) {
        LongAdder counter = nodePlanDecisions.computeIfAbsent(
                new NodePlan(candidate.hardware().nodeId(), candidate.plan()), k -> new LongAdder());
        return new Arm(candidate, counter, elasticity, usedNanos);
    }

    /** Asks the model for the priors the arms lack from it, all at once. */
    private static void ensurePriors(ClassState state, Arm[] arms, PriorModel current) {
        List<Arm> stale = null;
        for (Arm arm : arms) {
            Arm.Prior prior = arm.prior();
            if (prior == null || prior.generation() < current.generation()) {
                if (stale == null) {
                    stale = new ArrayList<>();
                }
                stale.add(arm);
            }
        }
        if (stale == null) {
            return;
        }
        Estimate[] estimates = priorsOf(current.source(), state, stale);
        for (int i = 0; i < estimates.length; i++) {
            stale.get(i).installPrior(estimates[i], current.generation());
        }
    }

    private static Estimate[] priorsOf(PriorSource source, ClassState state, List<Arm> arms) {
        List<Candidate> candidates = new ArrayList<>(arms.size());
        for (Arm arm : arms) {
            candidates.add(arm.candidate);
        }
        Estimate[] estimates = source.priors(state.representative, candidates);
        if (estimates == null || estimates.length != candidates.size()) {
            throw new IllegalStateException("prior source " + source + " gave " + (estimates == null ? "no"
                    : estimates.length) + " estimates for " + candidates.size() + " candidates");
        }
        for (int i = 0; i < estimates.length; i++) {
            if (estimates[i] == null) {
                throw new IllegalStateException("prior source " + source + " gave no estimate for "
                        + candidates.get(i) + " in " + state.key);
            }
        }
        return estimates;
    }

    private static PriorSource requirePriors(PriorSource priors) {
        if (priors == null) {
            throw new IllegalArgumentException("online policy: prior source must not be null");
        }
        return priors;
    }

    private static String requireVersion(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("online policy: model version must not be blank");
        }
        return version;
    }

    private void requireOwn(Decision decision) {
        if (decision == null) {
            throw new IllegalArgumentException("online policy: decision must not be null");
        }
        if (decision.policy != this) {
            throw new IllegalArgumentException("online policy: " + decision + " was made by another policy");
        }
    }

    private static void requireFiniteScore(double score) {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("online policy: score must be a finite number, was " + score);
        }
    }
}
