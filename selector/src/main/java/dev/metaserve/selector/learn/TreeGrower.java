package dev.metaserve.selector.learn;

import java.util.Arrays;

/**
 * Grows one regression tree by greedy second-order splits on binned features (the gain and leaf value of XGBoost:
 * leaf = sum of pulls / (sum of hessians + l2)), depth first, to a maximum depth, with at least
 * {@link BoostingSettings#minLeafRows} rows in a leaf. For squared loss the pull of a row is its weighted residual and
 * its hessian its weight.
 */
final class TreeGrower {
    private final Binning binning;
    private final BoostingSettings settings;
    private final double[] pull;
    private final double[] hessian;
    private int[] feature;
    private double[] threshold;
    private int[] left;
    private int[] right;
    private double[] value;
    private int size;

    /** @param pull minus the loss gradient per row; @param hessian the loss's second derivative per row */
    TreeGrower(Binning binning, BoostingSettings settings, double[] pull, double[] hessian) {
        this.binning = binning;
        this.settings = settings;
        this.pull = pull;
        this.hessian = hessian;
    }

    RegressionTree grow(int[] rows, int[] features) {
        int capacity = 2 << Math.min(settings.maxDepth(), 20);
        feature = new int[capacity];
        threshold = new double[capacity];
        left = new int[capacity];
        right = new int[capacity];
        value = new double[capacity];
        size = 0;
        grow(rows, 0, rows.length, features, 0);
        return new RegressionTree(Arrays.copyOf(feature, size), Arrays.copyOf(threshold, size),
                Arrays.copyOf(left, size), Arrays.copyOf(right, size), Arrays.copyOf(value, size));
    }

    /** Grows the subtree of rows[from, to) and returns its node index. */
    private int grow(int[] rows, int from, int to, int[] features, int depth) {
        int node = size++;
        double g = 0;
        double w = 0;
        for (int i = from; i < to; i++) {
            int r = rows[i];
            g += pull[r];
            w += hessian[r];
        }
        feature[node] = -1;
        value[node] = g / (w + settings.l2() + 1e-12);
        int minRows = settings.minLeafRows();
        if (depth >= settings.maxDepth() || to - from < 2 * minRows) {
            return node;
        }
        double parentScore = g * g / (w + settings.l2() + 1e-12);
        double bestGain = 1e-12;
        int bestFeature = -1;
        int bestBin = -1;
        for (int f : features) {
            int bins = binning.bins(f);
            if (bins < 2) {
                continue;
            }
            double[] gs = new double[bins];
            double[] ws = new double[bins];
            int[] counts = new int[bins];
            byte[] column = binning.bin[f];
            for (int i = from; i < to; i++) {
                int r = rows[i];
                int b = column[r] & 0xFF;
                gs[b] += pull[r];
                ws[b] += hessian[r];
                counts[b]++;
            }
            double gl = 0;
            double wl = 0;
            int nl = 0;
            for (int b = 0; b < bins - 1; b++) {
                gl += gs[b];
                wl += ws[b];
                nl += counts[b];
                double wr = w - wl;
                if (nl < minRows || (to - from) - nl < minRows) {
                    continue;
                }
                double gr = g - gl;
                double gain = gl * gl / (wl + settings.l2() + 1e-12) + gr * gr / (wr + settings.l2() + 1e-12) - parentScore;
                if (gain > bestGain) {
                    bestGain = gain;
                    bestFeature = f;
                    bestBin = b;
                }
            }
        }
        if (bestFeature < 0) {
            return node;
        }
        byte[] column = binning.bin[bestFeature];
        int mid = from;
        for (int i = from; i < to; i++) {
            if ((column[rows[i]] & 0xFF) <= bestBin) {
                int t = rows[mid];
                rows[mid] = rows[i];
                rows[i] = t;
                mid++;
            }
        }
        feature[node] = bestFeature;
        threshold[node] = binning.thresholds[bestFeature][bestBin];
        left[node] = grow(rows, from, mid, features, depth + 1);
        right[node] = grow(rows, mid, to, features, depth + 1);
        return node;
    }
}
