package dev.metaserve.selector.model;

import dev.metaserve.selector.features.DescriptionEmbedder;
import dev.metaserve.selector.learn.PerformanceModel;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.quality.QualityEstimator;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trained selector as served: the quality gate and the performance model, behind {@link #choose}. A candidate's
 * prediction depends only on the task and the candidate, so it is computed once per (task, candidate) and kept (up to
 * {@value #MAX_CACHED} pairs; the cache is dropped when full): a repeated decision is a few map lookups, the first
 * for a task predicts all its candidates at once. Safe for use from many threads.
 */
public final class SelectorModel {
    /** Most (task, candidate) scores kept. */
    static final int MAX_CACHED = 200_000;

    private final ModelHeader header;
    private final QualityEstimator quality;
    private final PerformanceModel performance;
    /** Per task, per candidate: predicted relative score and expected quality loss. */
    private final Map<TaskProfile, Map<Candidate, double[]>> scores = new ConcurrentHashMap<>();
    private final AtomicInteger cached = new AtomicInteger();

    public SelectorModel(ModelHeader header, QualityEstimator quality, PerformanceModel performance) {
        this.header = Objects.requireNonNull(header, "selector model: header must not be null");
        this.quality = Objects.requireNonNull(quality, "selector model: quality estimator must not be null");
        this.performance = Objects.requireNonNull(performance, "selector model: performance model must not be null");
    }

    public ModelHeader header() {
        return header;
    }

    public QualityEstimator quality() {
        return quality;
    }

    public PerformanceModel performance() {
        return performance;
    }

    /**
     * Embeds descriptions the model does not know with this embedder (a model read from a file has none, and gives
     * an unknown description the centre of the training descriptions instead). Embedding costs milliseconds, once per
     * new description; known descriptions never need it.
     */
    public void useEmbedder(DescriptionEmbedder embedder) {
        performance.features().text().useEmbedder(embedder);
    }

    /**
     * Index of the chosen candidate: among those expected to keep quality within the task's tolerance (or, when none
     * is, those expected to lose least), the one with the lowest predicted score. Ties go to the earlier candidate.
     *
     * @throws IllegalArgumentException when there are no candidates
     */
    public int choose(TaskProfile task, List<Candidate> candidates) {
        int n = candidates.size();
        if (n == 0) {
            throw new IllegalArgumentException("selector: no candidates to choose among");
        }
        Map<Candidate, double[]> forTask = scores.get(task);
        if (forTask == null) {
            forTask = predict(task, candidates);
        }
        double[][] known = new double[n][];
        boolean anyFeasible = false;
        double leastLoss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            known[i] = forTask.get(candidates.get(i));
            if (known[i] == null) {
                forTask = predict(task, candidates);
                known[i] = forTask.get(candidates.get(i));
            }
            anyFeasible |= known[i][1] <= task.qualityTolerance();
            leastLoss = Math.min(leastLoss, known[i][1]);
        }
        int best = -1;
        for (int i = 0; i < n; i++) {
            boolean allowed = anyFeasible ? known[i][1] <= task.qualityTolerance() : known[i][1] == leastLoss;
            if (allowed && (best < 0 || known[i][0] < known[best][0])) {
                best = i;
            }
        }
        return best;
    }

    /** As {@link #choose}, returning the candidate. */
    public Candidate chooseCandidate(TaskProfile task, List<Candidate> candidates) {
        return candidates.get(choose(task, candidates));
    }

    /** Predicts every candidate of a task and caches them; returns the task's cache. */
    private Map<Candidate, double[]> predict(TaskProfile task, List<Candidate> candidates) {
        if (cached.get() >= MAX_CACHED) {
            scores.clear();
            cached.set(0);
        }
        Map<Candidate, double[]> forTask = scores.computeIfAbsent(task, t -> new ConcurrentHashMap<>());
        double[] predicted = performance.predict(task, candidates);
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (forTask.putIfAbsent(c, new double[] {predicted[i], quality.estimate(task, c)}) == null) {
                cached.incrementAndGet();
            }
        }
        return forTask;
    }
}
