package dev.metaserve.selector.eval;

import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.problem.Candidate;
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
import java.util.SplittableRandom;

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
 *
 * <p>{@link #resampled} estimates the ceiling that the halves do not: how often the labels methods are scored on (all
 * the measurements, averaged) name the best a method would pick if it knew every candidate's true mean. Each
 * candidate's measurements are drawn again with replacement, as many as it has, {@value #DRAWS} times; the best of
 * each draw is scored against the labels of all the measurements. By the bootstrap's reasoning, a draw stands to the
 * labels as the labels stand to the truth, so its top-1 accuracy estimates the share of problems whose label is the
 * true best. The estimate leans high: the variance of a draw's mean of n measurements is (n - 1) / n of the
 * labels', draws centred on the labels favour the label's best in near ties, and drift between sweeps beyond what the
 * rounds show is not in the draws. It is an estimate, not a bound: a method trained on the same rounds could learn
 * errors that problems share (a node slower in some rounds). Each problem weighs 1 (its draws' bests count as one
 * uniform choice); a draw whose problem has no feasible candidate is left out.
 */
public final class Repeatability {
    /** Name of the result among the methods' results. */
    public static final String NAME = "repeat-measurement";
    /** Name of the {@link #resampled} result. */
    public static final String RESAMPLED_NAME = "resampled-labels";
    /** Draws of {@link #resampled}. */
    static final int DRAWS = 200;

    private Repeatability() {}

    /** The repeat oracle's result, or empty when no problem had every candidate measured twice. */
    public static Optional<MethodResult> of(List<Observation> observations) {
        List<List<Observation>> repeated = repeatedCandidates(observations);
        List<Observation> earlierHalf = new ArrayList<>();
        List<Observation> laterHalf = new ArrayList<>();
        List<Observation> all = new ArrayList<>();
        for (List<Observation> list : repeated) {
            int half = list.size() / 2;
            earlierHalf.addAll(list.subList(0, half));
            laterHalf.addAll(list.subList(list.size() - half, list.size()));
            all.addAll(list);
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
        return perProblem(NAME, scored, 2);
    }

    /**
     * The resampled labels' result (see the class comment), or empty when no problem had every candidate measured
     * twice.
     *
     * @param seed seed of the draws
     */
    public static Optional<MethodResult> resampled(List<Observation> observations, long seed) {
        List<List<Observation>> repeated = repeatedCandidates(observations);
        List<Observation> all = new ArrayList<>();
        repeated.forEach(all::addAll);
        Map<TaskProfile, SelectionProblem> whole = byTask(Problems.from(all).problems());
        SplittableRandom random = new SplittableRandom(seed);
        Map<TaskProfile, List<Candidate>> drawnBests = new LinkedHashMap<>();
        for (int draw = 0; draw < DRAWS; draw++) {
            List<Observation> drawn = new ArrayList<>(all.size());
            for (List<Observation> list : repeated) {
                for (int i = 0; i < list.size(); i++) {
                    drawn.add(list.get(random.nextInt(list.size())));
                }
            }
            for (SelectionProblem problem : Problems.from(drawn).problems()) {
                SelectionProblem labelled = whole.get(problem.task());
                if (labelled != null) { // a draw without a feasible candidate has no best and is left out
                    drawnBests.computeIfAbsent(problem.task(), t -> new ArrayList<>())
                            .add(problem.candidates().get(problem.best()).candidate());
                }
            }
        }
        // each problem weighs 1, however many of its draws had a best: its draws' bests are one uniform choice
        List<ScoredChoice> scored = new ArrayList<>();
        drawnBests.forEach((task, bests) -> scored.add(ScoredChoice.of(whole.get(task), new Choice(bests))));
        return perProblem(RESAMPLED_NAME, scored, 1);
    }

    /**
     * Each candidate's measurements, oldest first, of the problems whose every candidate was measured at least twice.
     */
    private static List<List<Observation>> repeatedCandidates(List<Observation> observations) {
        Comparator<Observation> byTime = Comparator.comparing(Observation::observedAt)
                .thenComparingLong(Observation::id);
        List<List<Observation>> repeated = new ArrayList<>();
        for (Map<CandidateKey, List<Observation>> candidates : Problems.grouped(observations).values()) {
            if (candidates.values().stream().anyMatch(list -> list.size() < 2)) {
                continue;
            }
            for (List<Observation> list : candidates.values()) {
                list.sort(byTime);
                repeated.add(list);
            }
        }
        return repeated;
    }

    /** The scores aggregated, {@code perProblem} of them counting as one problem. */
    private static Optional<MethodResult> perProblem(String name, List<ScoredChoice> scored, int perProblem) {
        if (scored.isEmpty()) {
            return Optional.empty();
        }
        MethodResult all = MethodResult.of(name, scored, 0, 0);
        return Optional.of(new MethodResult(name, scored.size() / perProblem, all.accuracy(), all.meanRegret(),
                all.p90Regret(), all.nearBest(), all.clearShare(), all.clearAccuracy(), all.toleranceViolations(),
                0, 0));
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
