package dev.metaserve.selector.store;

import dev.metaserve.accelerators.Plan;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One measurement of a plan on a task and hardware: a row of the performance history.
 *
 * @param id          assigned by the store when appended; 0 before
 * @param task        what was asked
 * @param plan        how it was accelerated
 * @param hardware    where it ran
 * @param measurement what it achieved
 * @param observedAt  when the measurement ended; kept to the microsecond, as both databases store it, so an
 *                    observation reads back equal to the one appended
 * @param source      a profiling sweep or live traffic
 */
public record Observation(long id, TaskProfile task, Plan plan, HardwareProfile hardware, Measurement measurement,
        Instant observedAt, Source source) {
    private static final String OWNER = "observation";

    public Observation {
        Checks.atLeast(id, 0, OWNER, "id");
        Checks.present(task, OWNER, "task profile");
        Checks.present(plan, OWNER, "plan");
        Checks.present(hardware, OWNER, "hardware profile");
        Checks.present(measurement, OWNER, "measurement");
        observedAt = Checks.present(observedAt, OWNER, "observed at").truncatedTo(ChronoUnit.MICROS);
        Checks.present(source, OWNER, "source");
    }

    /** A new observation, not yet stored (id 0). */
    public static Observation of(TaskProfile task, Plan plan, HardwareProfile hardware, Measurement measurement,
            Instant observedAt, Source source) {
        return new Observation(0, task, plan, hardware, measurement, observedAt, source);
    }

    /** This observation under another id. */
    public Observation withId(long newId) {
        return new Observation(newId, task, plan, hardware, measurement, observedAt, source);
    }
}
