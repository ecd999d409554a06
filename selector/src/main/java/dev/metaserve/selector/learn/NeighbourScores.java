package dev.metaserve.selector.learn;

import static dev.metaserve.selector.features.TaskDescriptors.log2;

import dev.metaserve.selector.problem.CandidateKey;
import dev.metaserve.selector.problem.CellKey;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How each candidate did on the most similar training tasks: the collaborative part of the meta-learner. For a task,
 * the {@code k} nearest training tasks of the same model, task kind and objective (distance on standardised sizes:
 * tokens, texts, concurrency, input kind) give, per candidate, three features: its mean relative score there
 * (score minus the task's mean score), the share of them on which it was within {@value #NEAR_BEST} of the best, and
 * the share that measured it at all. Weights fall with distance. When features are made for a training row, the
 * row's own measurement cell is left out, so training sees what a new task will see.
 */
public final class NeighbourScores {
    /** Names of the features {@link #features} returns, in order. */
    public static final List<String> NAMES = List.of("nb_relative_score", "nb_near_best", "nb_coverage");
    /** Regret under which a candidate counts as near the best of a neighbour. */
    static final double NEAR_BEST = 0.05;
    private static final double DISTANCE_OFFSET = 0.25;
    /** Length of a task's position: the values of {@link #rawPosition}. */
    static final int POSITION_NAMES = 5;

    /**
     * One training task (cell and objective) with its candidates' relative scores.
     *
     * @param group    model, task kind and objective: neighbours come from the same group
     * @param position standardised sizes
     * @param scores   per candidate: relative score, and 1 when within {@value #NEAR_BEST} of the best else 0
     */
    public record Entry(CellKey cell, String group, double[] position, Map<CandidateKey, double[]> scores) {}

    private final int k;
    private final double[] scale;
    private final List<Entry> entries;
    private final Map<String, List<Entry>> byGroup = new HashMap<>();

    /** Restores fitted neighbour scores (the model file). */
    public NeighbourScores(int k, double[] scale, List<Entry> entries) {
        if (k < 1) {
            throw new IllegalArgumentException("neighbour scores: k must be >= 1, was " + k);
        }
        int dimension = POSITION_NAMES;
        if (scale.length != dimension) {
            throw new IllegalArgumentException("neighbour scores: scale has " + scale.length + " values, expected "
                    + dimension);
        }
        for (Entry e : entries) {
            if (e.position().length != dimension) {
                throw new IllegalArgumentException("neighbour scores: a position has " + e.position().length
                        + " values, expected " + dimension);
            }
        }
        this.k = k;
        this.scale = scale;
        this.entries = List.copyOf(entries);
        for (Entry e : this.entries) {
            byGroup.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e);
        }
    }

    /**
     * @param problems one problem per (cell, objective): tolerance variants share measurements and add nothing
     * @param k        neighbours consulted, at least 1
     */
    public static NeighbourScores fit(List<SelectionProblem> problems, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("neighbour scores: k must be >= 1, was " + k);
        }
        List<double[]> raw = problems.stream().map(p -> rawPosition(p.task())).toList();
        int d = raw.isEmpty() ? 0 : raw.get(0).length;
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (double[] r : raw) {
                mean += r[j] / raw.size();
            }
            double var = 0;
            for (double[] r : raw) {
                var += (r[j] - mean) * (r[j] - mean) / raw.size();
            }
            scale[j] = var > 1e-12 ? 1 / Math.sqrt(var) : 1;
        }
        List<Entry> entries = new ArrayList<>();
        for (int p = 0; p < problems.size(); p++) {
            SelectionProblem problem = problems.get(p);
            double mean = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < problem.size(); i++) {
                mean += problem.score(i) / problem.size();
                min = Math.min(min, problem.score(i));
            }
            Map<CandidateKey, double[]> scores = new HashMap<>();
            for (int i = 0; i < problem.size(); i++) {
                boolean near = problem.score(i) - min <= Math.log1p(NEAR_BEST);
                scores.put(problem.key(i), new double[] {problem.score(i) - mean, near ? 1 : 0});
            }
            entries.add(new Entry(problem.cell(), group(problem.task()), scale(raw.get(p), scale), scores));
        }
        return new NeighbourScores(k, scale, entries);
    }

    static String group(TaskProfile t) {
        return t.model() + "|" + t.taskKind() + "|" + t.objective();
    }

    static double[] rawPosition(TaskProfile t) {
        return new double[] {
            log2(t.inputTokens()), log2(1.0 + t.outputTokens()), log2(t.textsPerRequest()), log2(t.concurrency()),
            t.inputKind().equals(TaskProfile.REPETITIVE) ? 1 : 0,
        };
    }

    private static double[] scale(double[] raw, double[] scale) {
        double[] out = new double[raw.length];
        for (int j = 0; j < raw.length; j++) {
            out[j] = raw[j] * scale[j];
        }
        return out;
    }

    /** The neighbours of a task, with weights; {@code excluded} (may be null) is a cell left out. */
    public Neighbours neighbours(TaskProfile task, CellKey excluded) {
        List<Entry> group = byGroup.getOrDefault(group(task), List.of());
        double[] position = scale(rawPosition(task), scale);
        int n = group.size();
        double[] distance = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            Entry e = group.get(i);
            distance[i] = e.cell().equals(excluded) ? Double.POSITIVE_INFINITY : euclid(position, e.position());
        }
        Arrays.sort(order, (a, b) -> Double.compare(distance[a], distance[b]));
        List<Entry> chosen = new ArrayList<>(k);
        List<Double> weights = new ArrayList<>(k);
        for (int i = 0; i < n && chosen.size() < k; i++) {
            if (Double.isInfinite(distance[order[i]])) {
                break;
            }
            chosen.add(group.get(order[i]));
            weights.add(1 / (DISTANCE_OFFSET + distance[order[i]]));
        }
        return new Neighbours(chosen, weights.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double euclid(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return Math.sqrt(s);
    }

    /** The nearest training tasks of one task and their weights. */
    public static final class Neighbours {
        private final List<Entry> entries;
        private final double[] weights;

        Neighbours(List<Entry> entries, double[] weights) {
            this.entries = entries;
            this.weights = weights;
        }

        /** {@link #NAMES} for one candidate: all zeros when no neighbour measured it. */
        public double[] features(CandidateKey candidate) {
            Objects.requireNonNull(candidate);
            double total = 0;
            double covered = 0;
            double score = 0;
            double near = 0;
            for (int i = 0; i < entries.size(); i++) {
                total += weights[i];
                double[] s = entries.get(i).scores().get(candidate);
                if (s != null) {
                    covered += weights[i];
                    score += weights[i] * s[0];
                    near += weights[i] * s[1];
                }
            }
            if (covered == 0) {
                return new double[3];
            }
            return new double[] {score / covered, near / covered, covered / total};
        }
    }

    public int k() {
        return k;
    }

    public double[] scale() {
        return scale;
    }

    public List<Entry> entries() {
        return entries;
    }
}
