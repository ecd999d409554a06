package dev.metaserve.selector.eval;

import dev.metaserve.selector.problem.CandidateKey;
import dev.metaserve.selector.problem.SelectionProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Who wins where: for every candidate, on how many problems it is the best, out of how many that measured it. */
public final class WinTable {
    private WinTable() {}

    /**
     * @param candidate  node spec and plan
     * @param bestOn     problems on which it is the best feasible candidate
     * @param measuredOn problems that measured it
     */
    public record Row(String candidate, int bestOn, int measuredOn) {}

    /** Rows for every candidate, most wins first. */
    public static List<Row> of(List<SelectionProblem> problems) {
        Map<CandidateKey, int[]> counts = new TreeMap<>();
        for (SelectionProblem p : problems) {
            for (int i = 0; i < p.size(); i++) {
                int[] c = counts.computeIfAbsent(p.key(i), k -> new int[2]);
                c[1]++;
                if (i == p.best()) {
                    c[0]++;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((k, c) -> rows.add(new Row(k.toString(), c[0], c[1])));
        rows.sort(Comparator.comparingInt(Row::bestOn).reversed().thenComparing(Row::candidate));
        return rows;
    }
}
