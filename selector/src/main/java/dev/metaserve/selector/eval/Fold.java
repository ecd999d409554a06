package dev.metaserve.selector.eval;

import dev.metaserve.selector.problem.CellKey;
import dev.metaserve.selector.problem.SelectionProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One fold of leave-task-out: every problem of one measurement cell held out (all objectives and tolerances, which
 * share the cell's measurement), all other problems for training.
 *
 * @param heldOutCell the cell held out
 * @param training    problems of every other cell
 * @param heldOut     problems of the held-out cell
 */
public record Fold(CellKey heldOutCell, List<SelectionProblem> training, List<SelectionProblem> heldOut) {
    public Fold {
        training = List.copyOf(training);
        heldOut = List.copyOf(heldOut);
    }

    /** One fold per cell, in cell order. */
    public static List<Fold> byCell(List<SelectionProblem> problems) {
        Map<CellKey, List<SelectionProblem>> byCell = new TreeMap<>();
        for (SelectionProblem p : problems) {
            byCell.computeIfAbsent(p.cell(), c -> new ArrayList<>()).add(p);
        }
        List<Fold> folds = new ArrayList<>();
        for (Map.Entry<CellKey, List<SelectionProblem>> e : byCell.entrySet()) {
            List<SelectionProblem> training = problems.stream().filter(p -> !p.cell().equals(e.getKey())).toList();
            folds.add(new Fold(e.getKey(), training, e.getValue()));
        }
        return folds;
    }
}
