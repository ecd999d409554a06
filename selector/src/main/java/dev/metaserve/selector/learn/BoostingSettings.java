package dev.metaserve.selector.learn;

/**
 * Settings of gradient boosting with squared loss.
 *
 * @param trees         boosting rounds
 * @param maxDepth      deepest split level, at least 1
 * @param learningRate  shrinkage of every tree, in (0, 1]
 * @param minLeafRows   least rows in a leaf
 * @param rowSample     share of rows each tree sees, in (0, 1]
 * @param featureSample share of features each tree may split on, in (0, 1]
 * @param l2            ridge penalty on leaf values
 * @param bins          most thresholds tried per feature (quantiles of the training values), 2 to 255
 */
public record BoostingSettings(int trees, int maxDepth, double learningRate, int minLeafRows, double rowSample,
        double featureSample, double l2, int bins) {
    public static final BoostingSettings DEFAULT = new BoostingSettings(300, 5, 0.05, 3, 0.8, 0.8, 1.0, 64);

    public BoostingSettings {
        if (trees < 1 || maxDepth < 1 || learningRate <= 0 || learningRate > 1 || minLeafRows < 1
                || rowSample <= 0 || rowSample > 1 || featureSample <= 0 || featureSample > 1 || l2 < 0
                || bins < 2 || bins > 255) {
            throw new IllegalArgumentException("boosting settings out of range: " + this);
        }
    }
}
