package dev.metaserve.selector.learn;

import java.util.Arrays;

/**
 * Candidate split thresholds per feature (midpoints between distinct training values, thinned to at most
 * {@code bins - 1} by quantile), and each training row's bin per feature, so a tree node finds its best split
 * from a histogram instead of sorting.
 */
final class Binning {
    final double[][] thresholds;
    /** bin[f][row]: index of the first threshold >= x, i.e. x lies in (thresholds[b-1], thresholds[b]]. */
    final byte[][] bin;

    private Binning(double[][] thresholds, byte[][] bin) {
        this.thresholds = thresholds;
        this.bin = bin;
    }

    static Binning of(double[][] x, int bins) {
        int n = x.length;
        int features = x[0].length;
        double[][] thresholds = new double[features][];
        byte[][] bin = new byte[features][n];
        double[] column = new double[n];
        for (int f = 0; f < features; f++) {
            for (int i = 0; i < n; i++) {
                column[i] = x[i][f];
            }
            double[] distinct = Arrays.stream(column).sorted().distinct().toArray();
            double[] cuts = new double[Math.max(0, distinct.length - 1)];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = (distinct[i] + distinct[i + 1]) / 2;
            }
            if (cuts.length > bins - 1) {
                double[] thinned = new double[bins - 1];
                for (int q = 0; q < thinned.length; q++) {
                    thinned[q] = cuts[(int) ((long) (q + 1) * cuts.length / bins)];
                }
                cuts = Arrays.stream(thinned).distinct().toArray();
            }
            thresholds[f] = cuts;
            for (int i = 0; i < n; i++) {
                int b = Arrays.binarySearch(cuts, column[i]);
                bin[f][i] = (byte) (b >= 0 ? b : -b - 1);
            }
        }
        return new Binning(thresholds, bin);
    }

    /** Bins of feature {@code f}: thresholds plus one. */
    int bins(int f) {
        return thresholds[f].length + 1;
    }
}
