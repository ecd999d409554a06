package dev.metaserve.selector.learn;

import java.util.List;

/**
 * A boosted sum of regression trees: {@code base + rate * sum(tree(x))}.
 *
 * @param base         the starting prediction (weighted mean of the targets)
 * @param learningRate shrinkage applied to every tree
 * @param trees        the trees, in boosting order
 */
public record BoostedTrees(double base, double learningRate, List<RegressionTree> trees) {
    public BoostedTrees {
        trees = List.copyOf(trees);
    }

    public double predict(double[] x) {
        double sum = 0;
        for (RegressionTree t : trees) {
            sum += t.predict(x);
        }
        return base + learningRate * sum;
    }
}
