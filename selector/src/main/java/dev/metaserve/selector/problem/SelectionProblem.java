package dev.metaserve.selector.problem;

import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One task profile with the candidates measured for it. Feasible candidates lose no more quality than the task
 * tolerates; the best is the feasible one with the lowest {@link PerformanceScore} (lowest latency p50 for
 * LATENCY, highest throughput for THROUGHPUT). Candidates are kept in key order, so everything built on a problem
 * is deterministic.
 */
public final class SelectionProblem {
    private final TaskProfile task;
    private final List<MeasuredCandidate> candidates;
    private final double[] scores;
    private final int best;

    /** @throws IllegalArgumentException when there are no candidates, a key repeats, or none is feasible */
    public SelectionProblem(TaskProfile task, List<MeasuredCandidate> candidates) {
        this.task = Objects.requireNonNull(task, "selection problem: task must not be null");
        List<MeasuredCandidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparing(m -> m.candidate().key()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).candidate().key().equals(sorted.get(i - 1).candidate().key())) {
                throw new IllegalArgumentException("selection problem " + task + ": candidate "
                        + sorted.get(i).candidate().key() + " given twice");
            }
        }
        this.candidates = List.copyOf(sorted);
        this.scores = new double[sorted.size()];
        int bestIndex = -1;
        for (int i = 0; i < scores.length; i++) {
            MeasuredCandidate m = sorted.get(i);
            scores[i] = PerformanceScore.of(task.objective(), m.latencyP50Ms(), m.throughputPerSecond());
            if (feasible(i) && (bestIndex < 0 || scores[i] < scores[bestIndex])) {
                bestIndex = i;
            }
        }
        if (bestIndex < 0) {
            throw new IllegalArgumentException("selection problem " + task + ": no candidate keeps quality within"
                    + " the tolerance " + task.qualityTolerance());
        }
        this.best = bestIndex;
    }

    public TaskProfile task() {
        return task;
    }

    public CellKey cell() {
        return CellKey.of(task);
    }

    public List<MeasuredCandidate> candidates() {
        return candidates;
    }

    public int size() {
        return candidates.size();
    }

    public CandidateKey key(int i) {
        return candidates.get(i).candidate().key();
    }

    /** Score of candidate {@code i}, lower is better. */
    public double score(int i) {
        return scores[i];
    }

    /** Whether candidate {@code i} loses no more quality than the task tolerates. */
    public boolean feasible(int i) {
        return candidates.get(i).qualityDelta() <= task.qualityTolerance();
    }

    /** Index of the best feasible candidate. */
    public int best() {
        return best;
    }

    /** Index of the candidate with this key, or -1. */
    public int indexOf(CandidateKey key) {
        for (int i = 0; i < candidates.size(); i++) {
            if (key(i).equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Regret of choosing candidate {@code i}: its latency over the best's, minus 1 (throughput: best's over its). */
    public double regret(int i) {
        return PerformanceScore.regret(scores[i], scores[best]);
    }

    /** The largest regret among feasible candidates: what a choice breaking the tolerance is charged. */
    public double worstFeasibleRegret() {
        double worst = 0;
        for (int i = 0; i < scores.length; i++) {
            if (feasible(i)) {
                worst = Math.max(worst, regret(i));
            }
        }
        return worst;
    }

    /**
     * The smallest regret among the feasible candidates other than the best: how far the runner-up is behind; NaN when
     * the best is the only feasible candidate. Where it is within measurement noise, top-1 is a toss-up.
     */
    public double runnerUpRegret() {
        double closest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            double regret = regret(i);
            if (i != best && feasible(i) && regret < closest) {
                closest = regret;
            }
        }
        return closest == Double.POSITIVE_INFINITY ? Double.NaN : closest;
    }

    /** Whether another feasible candidate is at most {@code regret} behind the best (false when there is none). */
    public boolean runnerUpWithin(double regret) {
        return runnerUpRegret() <= regret;
    }

    /** The task and candidates without their measurements: what a selector is asked. */
    public SelectionQuery query() {
        return new SelectionQuery(task, candidates.stream().map(MeasuredCandidate::candidate).toList());
    }

    @Override
    public String toString() {
        return "problem " + task + " (" + candidates.size() + " candidates)";
    }
}
