package dev.metaserve.selector.problem;

import dev.metaserve.selector.store.TaskProfile;
import java.util.List;

/**
 * The selection problems of a history.
 *
 * @param problems         problems with at least one feasible candidate, in task order
 * @param observations     observations they were built from
 * @param withoutFeasible  tasks left out because no measured candidate kept quality within their tolerance
 */
public record ProblemSet(List<SelectionProblem> problems, int observations, List<TaskProfile> withoutFeasible) {
    public ProblemSet {
        problems = List.copyOf(problems);
        withoutFeasible = List.copyOf(withoutFeasible);
    }

    /** Distinct measurement cells. */
    public long cells() {
        return problems.stream().map(SelectionProblem::cell).distinct().count();
    }
}
