package dev.metaserve.selector.problem;

import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import java.util.Objects;

/**
 * What a selector is asked at decision time: a task and the candidates it may choose among, with nothing measured
 * for them. Evaluation hands methods queries, never problems, so no measurement of a held-out task can reach them.
 */
public record SelectionQuery(TaskProfile task, List<Candidate> candidates) {
    public SelectionQuery {
        Objects.requireNonNull(task, "selection query: task must not be null");
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("selection query: no candidates to choose among");
        }
    }
}
