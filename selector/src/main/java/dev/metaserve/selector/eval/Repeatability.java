package dev.metaserve.selector.eval;

import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.problem.CandidateKey;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far the measurements agree with themselves. Where every candidate of a problem was measured at least twice, the
 * problem is measured twice over: once from the earlier half of each candidate's measurements (averaged, as labels
 * are), once from the later half; with an odd count the middle one is left out, so two measurements give earliest
 * against latest and four give the first two against the last two. The best of one half is then scored against the
 * other, both ways, like a method's choice. The result is what an oracle that knows a label of half the repeats
 * exactly would score on another such label: the size of the labels' own noise. (Not a ceiling for methods scored on
 * labels averaged over all the repeats, which are steadier than half of them.) Whether a problem's best is clear is
 * decided, as for the methods, on the labels of all its measurements, so its clear accuracy covers the same problems.
 * Problems with a candidate measured once are left out.
 */
public final class Repeatability {
    /** Name of the result among the methods' results. */
    public static final String NAME = "repeat-measurement";

    private Repeatability() {}

    /** The repeat oracle's result, or empty when no problem had every candidate measured twice. */
    public static Optional<MethodResult> of(List<Observation> observations) {
        Map<TaskProfile, Map<CandidateKey, List<Observation>>> byTask = Problems.grouped(observations);
        List<Observation> earlierHalf = new ArrayList<>();
        List<Observation> laterHalf = new ArrayList<>();
        List<Observation> all = new ArrayList<>();
        Comparator<Observation> byTime = Comparator.comparing(Observation::observedAt)
                .thenComparingLong(Observation::id);
        for (Map<CandidateKey, List<Observation>> candidates : byTask.values()) {
            if (candidates.values().stream().anyMatch(list -> list.size() < 2)) {
                continue;
            }
            for (List<Observation> list : candidates.values()) {
                list.sort(byTime);
                int half = list.size() / 2;
                earlierHalf.addAll(list.subList(0, half));
                laterHalf.addAll(list.subList(list.size() - half, list.size()));
                all.addAll(list);
            }
        }
        Map<TaskProfile, SelectionProblem> first = byTask(Problems.from(earlierHalf).problems());
        Map<TaskProfile, SelectionProblem> second = byTask(Problems.from(laterHalf).problems());
        Map<TaskProfile, SelectionProblem> whole = byTask(Problems.from(all).problems());
        List<ScoredChoice> scored = new ArrayList<>();
        for (Map.Entry<TaskProfile, SelectionProblem> e : first.entrySet()) {
            SelectionProblem other = second.get(e.getKey());
            SelectionProblem labelled = whole.get(e.getKey());
            if (other == null || labelled == null) {
                continue; // feasible in one measurement only: quality measured differently; nothing to compare
            }
            boolean clear = ScoredChoice.clearCut(labelled);
            scored.add(bestOfOneAgainstOther(e.getValue(), other).withClearCut(clear));
            scored.add(bestOfOneAgainstOther(other, e.getValue()).withClearCut(clear));
        }
        if (scored.isEmpty()) {
            return Optional.empty();
        }
        MethodResult bothWays = MethodResult.of(NAME, scored, 0, 0);
        return Optional.of(new MethodResult(NAME, scored.size() / 2, bothWays.accuracy(), bothWays.meanRegret(),
                bothWays.p90Regret(), bothWays.nearBest(), bothWays.clearShare(), bothWays.clearAccuracy(),
                bothWays.toleranceViolations(), 0, 0));
    }

    private static ScoredChoice bestOfOneAgainstOther(SelectionProblem known, SelectionProblem repeat) {
        return ScoredChoice.of(repeat, Choice.of(known.candidates().get(known.best()).candidate()));
    }

    private static Map<TaskProfile, SelectionProblem> byTask(List<SelectionProblem> problems) {
        Map<TaskProfile, SelectionProblem> map = new LinkedHashMap<>();
        for (SelectionProblem p : problems) {
            map.put(p.task(), p);
        }
        return map;
    }
}
