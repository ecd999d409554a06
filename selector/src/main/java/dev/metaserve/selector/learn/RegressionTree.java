package dev.metaserve.selector.learn;

/**
 * A binary regression tree in flat arrays: node {@code i} is a leaf when {@code feature[i] < 0}; otherwise
 * {@code x[feature[i]] <= threshold[i]} goes to {@code left[i]}, else to {@code right[i]}. Node 0 is the root.
 * Prediction walks arrays without allocating, for the decision path's microsecond budget.
 */
public record RegressionTree(int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
    public RegressionTree {
        int n = feature.length;
        if (n == 0 || threshold.length != n || left.length != n || right.length != n || value.length != n) {
            throw new IllegalArgumentException("regression tree: node arrays must be non-empty and of one length");
        }
        for (int i = 0; i < n; i++) {
            if (feature[i] >= 0 && (left[i] <= i || left[i] >= n || right[i] <= i || right[i] >= n)) {
                throw new IllegalArgumentException("regression tree: node " + i + " has children out of order");
            }
        }
    }

    public double predict(double[] x) {
        int node = 0;
        while (feature[node] >= 0) {
            node = x[feature[node]] <= threshold[node] ? left[node] : right[node];
        }
        return value[node];
    }

    public int nodes() {
        return feature.length;
    }

    /** Largest feature index used, or -1 for a single leaf. */
    public int maxFeature() {
        int max = -1;
        for (int f : feature) {
            max = Math.max(max, f);
        }
        return max;
    }
}
