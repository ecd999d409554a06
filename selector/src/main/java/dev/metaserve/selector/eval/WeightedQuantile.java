package dev.metaserve.selector.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The q-quantile of weighted values: the smallest value whose cumulative weight reaches q of the total (with equal
 * weights, the nearest-rank percentile: the p90 of 10 values is the 9th smallest).
 */
final class WeightedQuantile {
    private WeightedQuantile() {}

    static double of(double[] values, double[] weights, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double total = Arrays.stream(weights).sum();
        double cumulative = 0;
        for (Integer i : order) {
            cumulative += weights[i];
            if (cumulative >= q * total - 1e-9 * total) {
                return values[i];
            }
        }
        return values[order[order.length - 1]];
    }
}
