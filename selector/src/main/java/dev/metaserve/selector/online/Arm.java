package dev.metaserve.selector.online;

import dev.metaserve.selector.problem.Candidate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One candidate within one task class: its prior (from the model version that computed it) and its live evidence.
 * Both are immutable values behind atomic references, so a decision reads them without locks.
 */
final class Arm {
    /** A prior and the generation of the model that gave it. */
    record Prior(Estimate estimate, long generation) {}

    final Candidate candidate;
    /** Decisions for this candidate's (node, plan) over all classes; shared by its arms. */
    final LongAdder nodePlanDecisions;
    /**
     * How load on this candidate's node slows its task class; shared with the other candidates of its
     * {@link LoadGroup}.
     */
    final LoadElasticity elasticity;
    /** Its requests chosen by the policy under a load factor, and those served outside a decision: what they teach
     * the elasticity. Kept apart, as the two come with load factors counted in different ways. */
    final LoadElasticity.Track chosenLoads = new LoadElasticity.Track();
    final LoadElasticity.Track namedLoads = new LoadElasticity.Track();
    /** On its class's clock of use, as evidence times are ({@link ClassState}). */
    private final long createdNanos;
    private final AtomicReference<Prior> prior = new AtomicReference<>();
    private final AtomicReference<Evidence> evidence = new AtomicReference<>(Evidence.NONE);

    Arm(Candidate candidate, LongAdder nodePlanDecisions, LoadElasticity elasticity, long createdNanos) {
        this.candidate = candidate;
        this.nodePlanDecisions = nodePlanDecisions;
        this.elasticity = elasticity;
        this.createdNanos = createdNanos;
    }

    /** Null until a prior was installed. */
    Prior prior() {
        return prior.get();
    }

    /** Installs a prior unless one from a later model is already there. */
    void installPrior(Estimate estimate, long generation) {
        Prior next = new Prior(estimate, generation);
        while (true) {
            Prior current = prior.get();
            if (current != null && current.generation() >= generation) {
                return;
            }
            if (prior.compareAndSet(current, next)) {
                return;
            }
        }
    }

    Evidence evidence() {
        return evidence.get();
    }

    /** @param usedNanos the class's clock of use now */
    void observe(double score, long usedNanos, Forgetting forgetting) {
        Evidence current;
        do {
            current = evidence.get();
        } while (!evidence.compareAndSet(current, forgetting.add(current, score, usedNanos)));
    }

    /** When this arm last learnt something (or was created): the older, the first to go when a class is full. */
    long lastTouchedNanos() {
        Evidence e = evidence.get();
        return e.count() == 0 ? createdNanos : e.atNanos();
    }
}
