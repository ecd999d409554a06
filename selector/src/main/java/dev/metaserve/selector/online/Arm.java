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

    /**
     * How its recent chosen requests went against what the policy expected when it chose them: discounted sums of
     * weight, of served score minus expected score (load included) and of ln load factor, as of {@code atNanos} on the
     * class's clock of use. What it shows an operator is whether the expectations under load hold; the beliefs do
     * not use it.
     */
    record Calibration(double weight, double surpriseSum, double logLoadSum, long atNanos) {
        /** Chosen requests it rests on at most: each keeps {@code 1 - 1/WINDOW} of the weight before it. */
        static final int WINDOW = 64;
        static final Calibration NONE = new Calibration(0, 0, 0, 0);
        private static final double KEPT = 1 - 1.0 / WINDOW;

        /** Also ages what came before by the class's time in use since, as evidence ages. */
        Calibration add(double surprise, double logLoad, long usedNanos, Forgetting forgetting) {
            double keep = KEPT * forgetting.aged(atNanos, usedNanos);
            return new Calibration(weight * keep + 1, surpriseSum * keep + surprise, logLoadSum * keep + logLoad,
                    usedNanos);
        }

        /** Its weight aged to {@code usedNanos}: how many recent chosen requests the two means rest on. */
        double weightAt(long usedNanos, Forgetting forgetting) {
            return weight * forgetting.aged(atNanos, usedNanos);
        }

        /** Geometric mean of served latency over expected latency; 1 with no chosen request. */
        double servedToExpected() {
            return weight == 0 ? 1 : Math.exp(surpriseSum / weight);
        }

        /** Geometric mean of the load factor the requests were chosen under; 1 with none. */
        double loadFactor() {
            return weight == 0 ? 1 : Math.exp(logLoadSum / weight);
        }
    }

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
    private final AtomicReference<Calibration> calibration = new AtomicReference<>(Calibration.NONE);

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

    Calibration calibration() {
        return calibration.get();
    }

    /**
     * A chosen request was served.
     *
     * @param surprise  its score as served minus the score expected when it was chosen (load included)
     * @param logLoad   ln of the load factor it was chosen under
     * @param usedNanos the class's clock of use now
     */
    void calibrate(double surprise, double logLoad, long usedNanos, Forgetting forgetting) {
        Calibration current;
        do {
            current = calibration.get();
        } while (!calibration.compareAndSet(current, current.add(surprise, logLoad, usedNanos, forgetting)));
    }

    /** When this arm last learnt something (or was created): the older, the first to go when a class is full. */
    long lastTouchedNanos() {
        Evidence e = evidence.get();
        return e.count() == 0 ? createdNanos : e.atNanos();
    }
}
