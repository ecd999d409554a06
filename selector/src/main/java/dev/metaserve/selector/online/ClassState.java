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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Everything the policy knows of one task class: an arm per candidate seen, the regret of recent decisions, counts.
 * The task that opened the class stands for it when priors are asked for.
 */
final class ClassState {
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
    private final long createdNanos;
    private volatile Resolved resolved;
    private volatile long lastObservedNanos;

    /** @param groupElasticity a load group to its elasticity pooled over classes */
    ClassState(TaskClass key, TaskProfile representative, OnlinePolicySettings settings,
            Function<LoadGroup, LoadElasticity> groupElasticity, long nowNanos) {
        this.key = key;
        this.representative = representative;
        this.groupElasticity = groupElasticity;
        this.elasticityPseudoCount = settings.loadElasticityPseudoCount();
        this.maxArms = settings.maxCandidatesPerClass();
        this.regret = new RegretWindow(settings.regretWindow());
        this.createdNanos = nowNanos;
        this.lastObservedNanos = nowNanos;
    }

    /** The arms of the candidates, in their order; new candidates get new arms. */
    Arm[] arms(List<Candidate> candidates, BiFunction<Candidate, LoadElasticity, Arm> newArm) {
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
            found[i] = arms.computeIfAbsent(keys[i], c -> newArm.apply(c, elasticityOf(c)));
        }
        if (arms.size() > maxArms) {
            evictStalest(Arrays.asList(keys));
        }
        resolved = new Resolved(keys, found);
        return found;
    }

    /** The arm of one candidate, made when missing. */
    Arm arm(Candidate candidate, BiFunction<Candidate, LoadElasticity, Arm> newArm) {
        Arm arm = arms.computeIfAbsent(candidate, c -> newArm.apply(c, elasticityOf(c)));
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

    void observed(long nowNanos) {
        observations.increment();
        lastObservedNanos = nowNanos;
    }

    /** When live evidence last came in (or the class was made). */
    long lastObservedNanos() {
        return Math.max(lastObservedNanos, createdNanos);
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
