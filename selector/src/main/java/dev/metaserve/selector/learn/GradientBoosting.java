package dev.metaserve.selector.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Gradient boosting of regression trees with squared loss, stochastic in rows and features. Small on purpose: the
 * meta-learner's data is thousands of rows, and the trees it makes must answer in microseconds from flat arrays.
 */
public final class GradientBoosting {
    private final BoostingSettings settings;

    public GradientBoosting(BoostingSettings settings) {
        this.settings = settings;
    }

    /**
     * Fits {@code y ~ x} with row weights {@code w} by squared loss.
     *
     * @throws IllegalArgumentException when the arrays are empty or of different lengths
     */
    public BoostedTrees fit(double[][] x, double[] y, double[] w, long seed) {
        if (x.length == 0 || y.length != x.length || w.length != x.length) {
            throw new IllegalArgumentException("boosting: need as many targets and weights as rows, got " + x.length
                    + " rows, " + y.length + " targets, " + w.length + " weights");
        }
        return fit(x, new SquaredLoss(y, w), seed);
    }

    /** Boosts trees on rows {@code x} against a loss. */
    BoostedTrees fit(double[][] x, Loss loss, long seed) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("boosting: no rows");
        }
        int features = x[0].length;
        Binning binning = Binning.of(x, settings.bins());
        double base = loss.base();
        double[] prediction = new double[n];
        double[] pull = new double[n];
        double[] hessian = new double[n];
        Arrays.fill(prediction, base);
        Random random = new Random(seed);
        TreeGrower grower = new TreeGrower(binning, settings, pull, hessian);
        List<RegressionTree> trees = new ArrayList<>(settings.trees());
        int rowCount = Math.max(1, (int) Math.round(settings.rowSample() * n));
        int featureCount = Math.max(1, (int) Math.round(settings.featureSample() * features));
        int[] allRows = new int[n];
        int[] allFeatures = new int[features];
        for (int i = 0; i < n; i++) {
            allRows[i] = i;
        }
        for (int f = 0; f < features; f++) {
            allFeatures[f] = f;
        }
        for (int t = 0; t < settings.trees(); t++) {
            loss.gradients(prediction, pull, hessian);
            int[] rows = sample(allRows, rowCount, random);
            int[] cols = sample(allFeatures, featureCount, random);
            Arrays.sort(cols);
            RegressionTree tree = grower.grow(rows, cols);
            trees.add(tree);
            for (int i = 0; i < n; i++) {
                prediction[i] += settings.learningRate() * tree.predict(x[i]);
            }
        }
        return new BoostedTrees(base, settings.learningRate(), trees);
    }

    /** The first {@code k} of a partial Fisher-Yates shuffle of a copy. */
    private static int[] sample(int[] all, int k, Random random) {
        int[] copy = all.clone();
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(copy.length - i);
            int t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return Arrays.copyOf(copy, k);
    }
}
