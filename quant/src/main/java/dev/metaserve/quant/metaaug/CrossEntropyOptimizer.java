package dev.metaserve.quant.metaaug;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Derivative-free minimisation over a box {@code [0, upper]}: the cross-entropy method. Each iteration samples
 * {@code population} points from a diagonal Gaussian (clipped to the box), evaluates them, and moves the Gaussian to the
 * mean and spread of the best third (at least two), smoothed. The best point ever evaluated is returned, so the result is never
 * worse than the start.
 */
public final class CrossEntropyOptimizer {
    /** Told after each evaluation. */
    @FunctionalInterface
    public interface Listener {
        void evaluated(int evaluation, int total, double[] point, double value);

        Listener NONE = (evaluation, total, point, value) -> {};
    }

    /** The best point found, its value, and how many evaluations it took. */
    public record Result(double[] best, double value, int evaluations) {}

    /** Share of the elite mean in the new mean. */
    private static final double MEAN_SMOOTHING = 0.9;
    /** Share of the elite spread in the new spread: low, so that the spread does not collapse after a few iterations. */
    private static final double SPREAD_SMOOTHING = 0.4;
    private static final double MIN_SPREAD = 0.02;

    private final int iterations;
    private final int population;
    private final long seed;

    public CrossEntropyOptimizer(int iterations, int population, long seed) {
        if (iterations < 1 || population < 2) {
            throw new IllegalArgumentException("need iterations >= 1 and population >= 2, got " + iterations + " and " + population);
        }
        this.iterations = iterations;
        this.population = population;
        this.seed = seed;
    }

    /** Evaluations {@link #minimize} makes: the start, then {@code iterations x population}. */
    public int evaluations() {
        return 1 + iterations * population;
    }

    /**
     * @param start  evaluated first; the search distribution is centred on it
     * @param spread initial standard deviation per component, as a share of its upper bound
     */
    public Result minimize(ToDoubleFunction<double[]> objective, double[] start, double[] upper, double spread,
                           Listener listener) {
        int dims = upper.length;
        Random random = new Random(seed);
        double[] mean = clip(start, upper);
        double[] sigma = new double[dims];
        for (int d = 0; d < dims; d++) {
            sigma[d] = spread * upper[d];
        }
        int total = evaluations();
        int done = 0;
        double[] best = mean.clone();
        double bestValue = objective.applyAsDouble(best);
        listener.evaluated(++done, total, best, bestValue);
        int elite = Math.max(2, population / 3);
        for (int iteration = 0; iteration < iterations; iteration++) {
            double[][] points = new double[population][];
            double[] values = new double[population];
            for (int p = 0; p < population; p++) {
                double[] point = new double[dims];
                for (int d = 0; d < dims; d++) {
                    point[d] = mean[d] + sigma[d] * random.nextGaussian();
                }
                points[p] = clip(point, upper);
                values[p] = objective.applyAsDouble(points[p]);
                listener.evaluated(++done, total, points[p], values[p]);
                if (values[p] < bestValue) {
                    bestValue = values[p];
                    best = points[p].clone();
                }
            }
            Integer[] order = new Integer[population];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
            for (int d = 0; d < dims; d++) {
                double m = 0;
                for (int e = 0; e < elite; e++) {
                    m += points[order[e]][d];
                }
                m /= elite;
                double v = 0;
                for (int e = 0; e < elite; e++) {
                    v += Math.pow(points[order[e]][d] - m, 2);
                }
                double s = Math.sqrt(v / elite);
                mean[d] = MEAN_SMOOTHING * m + (1 - MEAN_SMOOTHING) * mean[d];
                sigma[d] = Math.max(MIN_SPREAD * upper[d], SPREAD_SMOOTHING * s + (1 - SPREAD_SMOOTHING) * sigma[d]);
            }
        }
        return new Result(best, bestValue, done);
    }

    private static double[] clip(double[] point, double[] upper) {
        double[] clipped = new double[point.length];
        for (int d = 0; d < point.length; d++) {
            clipped[d] = Math.max(0, Math.min(upper[d], point[d]));
        }
        return clipped;
    }
}
