package dev.metaserve.selector.problem;

import dev.metaserve.selector.store.TaskProfile;

/**
 * A measurement cell: a task profile without objective and quality tolerance. Problems that differ only in those two
 * reuse one measurement, so leave-task-out holds out a whole cell.
 */
public record CellKey(String model, String taskKind, String inputKind, int inputTokens, int outputTokens,
        int textsPerRequest, int concurrency) implements Comparable<CellKey> {

    public static CellKey of(TaskProfile task) {
        return new CellKey(task.model(), task.taskKind(), task.inputKind(), task.inputTokens(), task.outputTokens(),
                task.textsPerRequest(), task.concurrency());
    }

    @Override
    public int compareTo(CellKey other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return model + "/" + taskKind + "/" + inputKind + "/in" + inputTokens + "/out" + outputTokens + "/texts"
                + textsPerRequest + "/c" + concurrency;
    }
}
