package dev.metaserve.selector.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code selector evaluate} reports, as written to {@code bench/results/selector-evaluation.json}.
 *
 * @param evaluation  what was run
 * @param time        when, ISO-8601
 * @param source      where the observations came from
 * @param data        size of the data
 * @param definitions the definitions the numbers follow
 * @param settings    settings of the run (seed, embedder, components, threads, ...)
 * @param methods     one result per method, ours first
 * @param repeatMeasurement the measurements scored against themselves ({@link Repeatability}), or null when no
 *                    problem was measured twice
 * @param resampledLabels the labels scored against draws of themselves ({@link Repeatability#resampled}): about how
 *                    often a label is the true best, or null when no problem was measured twice
 * @param wins        for every candidate, on how many problems it is best
 */
public record EvaluationReport(String evaluation, String time, String source, Data data,
        Map<String, String> definitions, Map<String, Object> settings, List<MethodResult> methods,
        MethodResult repeatMeasurement, MethodResult resampledLabels, List<WinTable.Row> wins) {

    /**
     * @param observations    observations read
     * @param problems        selection problems (task profiles with a feasible candidate)
     * @param cells           measurement cells, i.e. folds
     * @param candidates      distinct (node spec, plan) candidates
     * @param withoutFeasible task profiles left out because no candidate kept quality within tolerance
     * @param distinctWinners candidates that are best on at least one problem
     * @param topWinnerShare  share of problems won by the candidate that wins most: the accuracy a single plan
     *                        could reach at most, knowing every answer
     * @param runnerUpWithin2Percent share of problems whose second-best feasible candidate is within 2% of the best
     *                        ({@code SelectionProblem.runnerUpRegret}): where top-1 hinges on differences the size of
     *                        measurement noise
     * @param runnerUpWithin5Percent the same within 5%
     */
    public record Data(int observations, int problems, long cells, int candidates, int withoutFeasible,
            int distinctWinners, double topWinnerShare, double runnerUpWithin2Percent,
            double runnerUpWithin5Percent) {}

    /** The definitions of selector/README.md, carried in the JSON so the numbers explain themselves. */
    public static Map<String, String> standardDefinitions() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("problem", "one task profile (model, task kind, input kind, input/output tokens, texts per request,"
                + " concurrency, objective, quality tolerance); candidates are the (node, plan) pairs measured for it");
        d.put("feasible", "quality_delta <= quality_tolerance");
        d.put("best", "feasible candidate with the lowest latency p50 (LATENCY) or highest throughput (THROUGHPUT)");
        d.put("regret", "chosen latency / best latency - 1 (THROUGHPUT: best throughput / chosen - 1); a choice that"
                + " breaks the tolerance is charged the worst feasible candidate's regret");
        d.put("accuracy", "share of problems where the chosen candidate is the best (top-1)");
        d.put("nearBest", "share of problems where the chosen candidate's regret is at most 0.05");
        d.put("clearAccuracy", "top-1 accuracy on the problems whose best is clear (clearShare of them): the"
                + " runner-up's regret above 0.05, or no other candidate feasible (decided on the labels of all"
                + " rounds, for the repeat-measurement row too); on the others, top-1 often hinges on differences"
                + " the size of measurement noise");
        d.put("folds", "leave-task-out: one fold per measurement cell (profile without objective and tolerance);"
                + " every problem of the cell is held out, methods see held-out tasks only as queries");
        d.put("quality gate", "before choosing, candidates are narrowed to those expected to keep quality, from the"
                + " largest quality loss seen in training for the same model, precision and decoding; same for all");
        d.put("repeat-measurement", "where every candidate of a problem was measured twice or more: the best of"
                + " the earlier half of each candidate's measurements (averaged) scored against the later half and"
                + " the other way round (2 rounds: earliest against latest; 4: first two against last two); what"
                + " knowing a label of half the rounds exactly scores on another: the labels' own noise (not a"
                + " ceiling: the labels methods are scored on average all the rounds)");
        d.put("resampled-labels", "where every candidate of a problem was measured twice or more: each"
                + " candidate's measurements drawn again with replacement (as many as it has, 200 times), the best of"
                + " each draw scored against the labels of all the measurements; by the bootstrap's reasoning, about"
                + " how often a label names the true best, so near the top-1 accuracy a method knowing every"
                + " candidate's true mean would score (optimistic when measurements drift between rounds)");
        d.put("random", "expected value of a uniform pick among the gated candidates");
        d.put("runnerUpWithin2Percent", "share of problems whose second-best feasible candidate's regret is at most"
                + " 0.02 (runnerUpWithin5Percent: 0.05): where top-1 hinges on differences the size of measurement"
                + " noise");
        return d;
    }
}
