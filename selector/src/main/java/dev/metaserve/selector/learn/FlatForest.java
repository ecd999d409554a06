package dev.metaserve.selector.learn;

import java.util.List;

/**
 * An ensemble of boosted models compiled for prediction: every node of every tree in one set of arrays, child indices
 * absolute, leaf values already scaled by learning rate and ensemble size, so a prediction is one pass over
 * contiguous memory that adds up leaves. Gives the mean of the members' predictions, as they would.
 */
final class FlatForest {
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] left;
    private final int[] right;
    private final double[] value;
    private final double bias;

    FlatForest(List<BoostedTrees> members) {
        int trees = 0;
        int nodes = 0;
        double bias = 0;
        for (BoostedTrees m : members) {
            trees += m.trees().size();
            for (RegressionTree t : m.trees()) {
                nodes += t.nodes();
            }
            bias += m.base() / members.size();
        }
        this.bias = bias;
        roots = new int[trees];
        feature = new int[nodes];
        threshold = new double[nodes];
        left = new int[nodes];
        right = new int[nodes];
        value = new double[nodes];
        int tree = 0;
        int at = 0;
        for (BoostedTrees m : members) {
            double scale = m.learningRate() / members.size();
            for (RegressionTree t : m.trees()) {
                roots[tree++] = at;
                for (int i = 0; i < t.nodes(); i++) {
                    feature[at + i] = t.feature()[i];
                    threshold[at + i] = t.threshold()[i];
                    left[at + i] = at + t.left()[i];
                    right[at + i] = at + t.right()[i];
                    value[at + i] = t.value()[i] * scale;
                }
                at += t.nodes();
            }
        }
    }

    /** Predictions for several rows, tree by tree, so each tree's nodes are fetched once for all rows. */
    double[] predictAll(double[][] rows) {
        double[] sums = new double[rows.length];
        java.util.Arrays.fill(sums, bias);
        for (int root : roots) {
            for (int r = 0; r < rows.length; r++) {
                double[] x = rows[r];
                int node = root;
                int f;
                while ((f = feature[node]) >= 0) {
                    node = x[f] <= threshold[node] ? left[node] : right[node];
                }
                sums[r] += value[node];
            }
        }
        return sums;
    }

    double predict(double[] x) {
        double sum = bias;
        for (int root : roots) {
            int node = root;
            int f;
            while ((f = feature[node]) >= 0) {
                node = x[f] <= threshold[node] ? left[node] : right[node];
            }
            sum += value[node];
        }
        return sum;
    }
}
