package dev.metaserve.selector.learn;

import dev.metaserve.selector.features.CandidateFeatures;
import dev.metaserve.selector.features.TaskDescriptors;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Predicts each candidate's relative score on a task (its {@code PerformanceScore} minus the task's mean; lower is
 * better): candidate features, neighbour features, and the average of an ensemble of boosted tree models.
 */
public final class PerformanceModel {
    private final CandidateFeatures features;
    private final NeighbourScores neighbours;
    private final List<BoostedTrees> ensemble;
    private final FlatForest forest;

    public PerformanceModel(CandidateFeatures features, NeighbourScores neighbours, List<BoostedTrees> ensemble) {
        this.features = features;
        this.neighbours = neighbours;
        this.ensemble = List.copyOf(ensemble);
        if (this.ensemble.isEmpty()) {
            throw new IllegalArgumentException("performance model: no boosted model in the ensemble");
        }
        this.forest = new FlatForest(this.ensemble);
    }

    /** Predicted relative score of each candidate, in the order given. */
    public double[] predict(TaskProfile task, List<Candidate> candidates) {
        double[] taskDescriptors = TaskDescriptors.of(task);
        NeighbourScores.Neighbours near = neighbours == null ? null : neighbours.neighbours(task, null);
        double[][] rows = new double[candidates.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(features, taskDescriptors, task, candidates.get(i), near);
        }
        return forest.predictAll(rows);
    }

    /** The feature row of one candidate: candidate features, then the neighbour features when {@code near} is given. */
    static double[] row(CandidateFeatures features, double[] taskDescriptors, TaskProfile task, Candidate candidate,
            NeighbourScores.Neighbours near) {
        double[] base = features.of(taskDescriptors, task, candidate);
        if (near == null) {
            return base;
        }
        double[] extra = near.features(candidate.key());
        double[] x = new double[base.length + extra.length];
        System.arraycopy(base, 0, x, 0, base.length);
        System.arraycopy(extra, 0, x, base.length, extra.length);
        return x;
    }

    /** Feature names of a row. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(features.names());
        if (neighbours != null) {
            names.addAll(NeighbourScores.NAMES);
        }
        return names;
    }

    public CandidateFeatures features() {
        return features;
    }

    /** Null when the model uses no neighbour features. */
    public NeighbourScores neighbours() {
        return neighbours;
    }

    public List<BoostedTrees> ensemble() {
        return ensemble;
    }
}
