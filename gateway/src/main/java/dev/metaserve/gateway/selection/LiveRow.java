package dev.metaserve.gateway.selection;

import dev.metaserve.selector.online.TaskClass;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;

/**
 * Where a served request's measurement goes in the history: its task class (sizes rounded up to powers of two, as the
 * policy learns them), its concurrency rounded likewise (the offline model learns from it; the policy does not key
 * classes by it), the request's objective and tolerance, and the candidate that served it. One store row per key
 * and flush, so the history grows with the variety of the traffic, not its volume, and rows of one class line up as
 * one selection problem when the selector is retrained.
 */
record LiveRow(TaskProfile task, Candidate candidate) {

    static LiveRow of(TaskProfile task, Candidate candidate) {
        TaskClass c = TaskClass.of(task);
        TaskProfile bucketed = new TaskProfile(task.model(), task.taskKind(), task.inputKind(),
                Math.max(1, c.inputTokensUpTo()), c.outputTokensUpTo(), Math.max(1, c.textsPerRequestUpTo()),
                Math.max(1, TaskClass.powerOfTwoAtLeast(task.concurrency())), task.objective(),
                task.qualityTolerance());
        return new LiveRow(bucketed, candidate);
    }
}
