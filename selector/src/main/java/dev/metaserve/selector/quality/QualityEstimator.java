package dev.metaserve.selector.quality;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.CellKey;
import dev.metaserve.selector.problem.MeasuredCandidate;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.problem.SelectionQuery;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimates the quality a candidate will lose on a task nobody measured, so that every method chooses only among
 * candidates expected to stay within the tolerance. Quality loss depends on the model, the precision and the decoding
 * (batching does not change results), so the estimate is the largest loss seen in training for the most specific
 * of these keys that has data: (model, task kind, input kind, precision, decoding), then (model, task kind,
 * precision, decoding kind), then (precision, decoding kind). The largest, not the mean: a plan that broke a
 * tolerance somewhere similar is not trusted with it. fp32 with plain decoding loses nothing by definition; any
 * other plan never seen is assumed to break every tolerance.
 */
public final class QualityEstimator {
    /** Most estimates remembered by {@link #estimate}; dropped when full. */
    private static final int MAX_REMEMBERED = 100_000;

    private final Map<String, Double> worstLoss;
    /** Estimates already made: building the keys' strings costs more than the lookup. */
    private final Map<EstimateKey, Double> remembered = new ConcurrentHashMap<>();

    /** What an estimate depends on. */
    private record EstimateKey(String model, String taskKind, String inputKind, Plan plan) {}

    /** Restores an estimator from its table (the model file). */
    public QualityEstimator(Map<String, Double> worstLoss) {
        this.worstLoss = Map.copyOf(worstLoss);
    }

    public static QualityEstimator fit(List<SelectionProblem> training) {
        Map<String, Double> worst = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (SelectionProblem p : training) {
            CellKey cell = p.cell();
            for (MeasuredCandidate m : p.candidates()) {
                if (!seen.add(cell + "|" + m.candidate().key())) {
                    continue;
                }
                for (String key : keys(p.task(), m.candidate().plan())) {
                    worst.merge(key, m.qualityDelta(), Math::max);
                }
            }
        }
        return new QualityEstimator(worst);
    }

    /** Keys from the most specific to the least. */
    private static List<String> keys(TaskProfile t, Plan plan) {
        String decodingKind = decodingKind(plan.decoding());
        Precision precision = plan.precision();
        List<String> keys = new ArrayList<>(3);
        keys.add("1|" + t.model() + "|" + t.taskKind() + "|" + t.inputKind() + "|" + precision + "|" + plan.decoding());
        keys.add("2|" + t.model() + "|" + t.taskKind() + "|" + precision + "|" + decodingKind);
        keys.add("3|" + precision + "|" + decodingKind);
        return keys;
    }

    private static String decodingKind(Decoding d) {
        if (d instanceof Decoding.Draft) {
            return "draft";
        }
        return d instanceof Decoding.Ngram ? "ngram" : "plain";
    }

    /** Expected quality loss of a candidate on a task; infinite when nothing like it was ever measured. */
    public double estimate(TaskProfile task, Candidate candidate) {
        EstimateKey key = new EstimateKey(task.model(), task.taskKind(), task.inputKind(), candidate.plan());
        Double known = remembered.get(key);
        if (known != null) {
            return known;
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        double estimate = lookUp(task, candidate.plan());
        remembered.put(key, estimate);
        return estimate;
    }

    private double lookUp(TaskProfile task, Plan plan) {
        for (String key : keys(task, plan)) {
            Double loss = worstLoss.get(key);
            if (loss != null) {
                return loss;
            }
        }
        boolean reference = plan.precision() == Precision.FP32 && plan.decoding() instanceof Decoding.Plain;
        return reference ? 0 : Double.POSITIVE_INFINITY;
    }

    /**
     * The query with only the candidates expected to keep quality within the task's tolerance; when none is, the
     * ones with the smallest expected loss, so a choice is always possible.
     */
    public SelectionQuery gate(SelectionQuery query) {
        double tolerance = query.task().qualityTolerance();
        List<Candidate> kept = new ArrayList<>();
        double smallest = Double.POSITIVE_INFINITY;
        double[] estimates = new double[query.candidates().size()];
        for (int i = 0; i < estimates.length; i++) {
            estimates[i] = estimate(query.task(), query.candidates().get(i));
            smallest = Math.min(smallest, estimates[i]);
            if (estimates[i] <= tolerance) {
                kept.add(query.candidates().get(i));
            }
        }
        if (kept.isEmpty()) {
            for (int i = 0; i < estimates.length; i++) {
                if (estimates[i] == smallest) {
                    kept.add(query.candidates().get(i));
                }
            }
        }
        return kept.size() == estimates.length ? query : new SelectionQuery(query.task(), kept);
    }

    /** Whether the estimate keeps the candidate within the task's tolerance. */
    public boolean expectedFeasible(TaskProfile task, Candidate candidate) {
        return estimate(task, candidate) <= task.qualityTolerance();
    }

    /** Largest loss per key, sorted by key (for the model file). */
    public Map<String, Double> table() {
        return new java.util.TreeMap<>(worstLoss);
    }
}
