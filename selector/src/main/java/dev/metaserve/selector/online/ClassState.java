package dev.metaserve.selector.online;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Everything the policy knows of one task class: an arm per candidate seen, the regret of recent decisions, counts.
 * The task that opened the class stands for it when priors are asked for.
 *
 * <p>The class keeps its own clock of use, which its evidence ages by: wall time, with each gap between its
 * observations counted as at most {@link #IDLE_GAP_NANOS}. A class served steadily ages as the wall clock does, so a
 * candidate it stops choosing grows uncertain and is tried again; a class nobody sends anything keeps what it knew
 * until its traffic returns. Why: aged by the wall clock, the beliefs of a class idle for a few minutes had decayed to
 * a fifth when its requests came back, and it explored again (in {@code selector-e2e} each phase leaves the other's
 * classes idle for about two and a half minutes, and each generation class's first round was its worst, 1.36-1.50x
 * the best fixed plan). A node that slowed down meanwhile is still left within a few requests, by surprise
 * ({@link Forgetting}).
 */
final class ClassState {
    /** Longest gap between two observations of a class that its clock of use counts whole: 5 s. */
    static final long IDLE_GAP_NANOS = 5_000_000_000L;

    /** The clock of use at the last observation (or the class's making), with the wall time then. */
    private record UseClock(long usedNanos, long wallNanos) {
        /** The clock of use at wall time {@code nowNanos}: the gap since the last reading counts at most 5 s. */
        long at(long nowNanos) {
            return usedNanos + Math.min(Math.max(0, nowNanos - wallNanos), IDLE_GAP_NANOS);
        }
    }

    /** The arms of one candidate list, kept so that a repeated list costs reference comparisons, not hashing. */
    private record Resolved(Candidate[] candidates, Arm[] arms) {
        boolean matches(List<Candidate> list) {
            if (list.size() != candidates.length) {
                return false;
            }
            for (int i = 0; i < candidates.length; i++) {
                if (list.get(i) != candidates[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    final TaskClass key;
    final TaskProfile representative;
    final RegretWindow regret;
    final LongAdder decisions = new LongAdder();
    final LongAdder observations = new LongAdder();
    private final Map<Candidate, Arm> arms = new ConcurrentHashMap<>();
    private final Map<LoadGroup, LoadElasticity> elasticities = new ConcurrentHashMap<>();
    private final Function<LoadGroup, LoadElasticity> groupElasticity;
    private final double elasticityPseudoCount;
    private final int maxArms;
    private final AtomicReference<UseClock> useClock;
    private volatile Resolved resolved;

    /** @param groupElasticity a load group to its elasticity pooled over classes */
    ClassState(TaskClass key, TaskProfile representative, OnlinePolicySettings settings,
            Function<LoadGroup, LoadElasticity> groupElasticity, long nowNanos) {
        this.key = key;
        this.representative = representative;
        this.groupElasticity = groupElasticity;
        this.elasticityPseudoCount = settings.loadElasticityPseudoCount();
        this.maxArms = settings.maxCandidatesPerClass();
        this.regret = new RegretWindow(settings.regretWindow());
        this.useClock = new AtomicReference<>(new UseClock(nowNanos, nowNanos)); // in step with the wall until a gap
    }

    /** The class's clock of use at wall time {@code nowNanos}: what its evidence ages by. */
    long usedNanos(long nowNanos) {
        return useClock.get().at(nowNanos);
    }

    /**
     * The arms of the candidates, in their order; new candidates get new arms.
     *
     * @param newArm makes an arm: its candidate, elasticity and making time on the class's clock of use
     */
    Arm[] arms(List<Candidate> candidates, ArmMaker newArm, long nowNanos) {
        Resolved r = resolved;
        if (r != null && r.matches(candidates)) {
            return r.arms;
        }
        int n = candidates.size();
        Candidate[] keys = new Candidate[n];
        Arm[] found = new Arm[n];
        for (int i = 0; i < n; i++) {
            keys[i] = candidates.get(i);
            if (keys[i] == null) {
                throw new IllegalArgumentException("online policy: candidate " + i + " is null");
            }
            found[i] = arms.computeIfAbsent(keys[i], c -> newArm.make(c, elasticityOf(c), usedNanos(nowNanos)));
        }
        if (arms.size() > maxArms) {
            evictStalest(Arrays.asList(keys));
        }
        resolved = new Resolved(keys, found);
        return found;
    }

    /** The arm of one candidate, made when missing. */
    Arm arm(Candidate candidate, ArmMaker newArm, long nowNanos) {
        Arm arm = arms.computeIfAbsent(candidate, c -> newArm.make(c, elasticityOf(c), usedNanos(nowNanos)));
        if (arms.size() > maxArms) {
            evictStalest(List.of(candidate));
        }
        return arm;
    }

    /**
     * How load slows this class on the candidate's node under its batching; one per {@link LoadGroup}, shared by the
     * group's candidates.
     */
    private LoadElasticity elasticityOf(Candidate candidate) {
        return elasticities.computeIfAbsent(LoadGroup.of(candidate),
                g -> new LoadElasticity(groupElasticity.apply(g), elasticityPseudoCount));
    }

    /** The learnt elasticity per load group ({@link LoadGroup#toString()}), for snapshots. */
    Map<String, Double> elasticities() {
        Map<String, Double> values = new HashMap<>();
        elasticities.forEach((group, e) -> values.put(group.toString(), e.value()));
        return values;
    }

    List<Arm> allArms() {
        return new ArrayList<>(arms.values());
    }

    /**
     * Live evidence came in at wall time {@code nowNanos}: moves the clock of use on.
     *
     * @return the clock of use now, to stamp the evidence with
     */
    long observed(long nowNanos) {
        observations.increment();
        while (true) {
            UseClock c = useClock.get();
            UseClock next = new UseClock(c.at(nowNanos), Math.max(nowNanos, c.wallNanos()));
            if (useClock.compareAndSet(c, next)) {
                return next.usedNanos();
            }
        }
    }

    /** Wall time when live evidence last came in (or the class was made). */
    long lastObservedNanos() {
        return useClock.get().wallNanos();
    }

    /** Makes the arm of a candidate new to the class. */
    @FunctionalInterface
    interface ArmMaker {
        Arm make(Candidate candidate, LoadElasticity elasticity, long usedNanos);
    }

    /** Drops the arms observed least recently, never one of {@code keep}, until the class is within its bound. */
    private synchronized void evictStalest(List<Candidate> keep) {
        int excess = arms.size() - maxArms;
        if (excess <= 0) {
            return;
        }
        Set<Candidate> kept = new HashSet<>(keep);
        arms.values().stream()
                .filter(a -> !kept.contains(a.candidate))
                .sorted(Comparator.comparingLong(Arm::lastTouchedNanos))
                .limit(excess)
                .forEach(a -> arms.remove(a.candidate, a));
        resolved = null;
    }
}
