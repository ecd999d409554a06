package dev.metaserve.bench.sweep;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;

/** One measurement of the sweep: a plan on a workload at a concurrency on a node profile. */
record Cell(NodeProfile profile, Workload workload, Plan plan, int concurrency) {
    /** The task profile of this cell under an objective and a quality tolerance. */
    TaskProfile task(Objective objective, double qualityTolerance) {
        return new TaskProfile(workload.model(), workload.taskKind(), workload.pool().inputKind(),
                workload.pool().meanTokens(), workload.outputTokens(), workload.textsPerRequest(), concurrency,
                objective, qualityTolerance);
    }

    String label() {
        return profile.nodeId() + " " + workload.label() + " c=" + concurrency + " " + plan;
    }
}
