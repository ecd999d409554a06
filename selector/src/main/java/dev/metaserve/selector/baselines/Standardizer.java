package dev.metaserve.selector.baselines;

import java.util.List;

/** Scales each feature to zero mean and unit variance on the training vectors (constant features stay as 0). */
final class Standardizer {
    private final double[] mean;
    private final double[] inverseStd;

    private Standardizer(double[] mean, double[] inverseStd) {
        this.mean = mean;
        this.inverseStd = inverseStd;
    }

    static Standardizer fit(List<double[]> vectors) {
        int d = vectors.get(0).length;
        int n = vectors.size();
        double[] mean = new double[d];
        double[] inv = new double[d];
        for (double[] v : vectors) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[j] / n;
            }
        }
        for (int j = 0; j < d; j++) {
            double var = 0;
            for (double[] v : vectors) {
                var += (v[j] - mean[j]) * (v[j] - mean[j]) / n;
            }
            inv[j] = var > 1e-12 ? 1 / Math.sqrt(var) : 0;
        }
        return new Standardizer(mean, inv);
    }

    double[] apply(double[] v) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = (v[j] - mean[j]) * inverseStd[j];
        }
        return out;
    }
}
