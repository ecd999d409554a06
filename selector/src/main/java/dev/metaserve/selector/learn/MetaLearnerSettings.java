package dev.metaserve.selector.learn;

/**
 * Settings of the meta-learner.
 *
 * @param boosting      the gradient boosting of each ensemble member
 * @param ensemble      boosted models averaged, each with its own seed, at least 1
 * @param neighbours    training tasks consulted for the neighbour features; 0 (default) leaves those features out:
 *                      with 2 they helped on the first, noisy snapshot and cost accuracy on the quiet one
 * @param topWeight     extra weight of rows near their task's best (within a few percent), so the trees spend their
 *                      splits where the choice is made; 0 weighs all rows alike
 * @param useText       whether the description embedding is a feature (false: numeric descriptors only, for the
 *                      ablation that shows what the embedding adds)
 * @param pairwise      learn the order within each task by a pairwise loss ({@link PairwiseLoss}) instead of the
 *                      relative score by squared loss
 */
public record MetaLearnerSettings(BoostingSettings boosting, int ensemble, int neighbours, double topWeight,
        boolean useText, boolean pairwise) {
    public static final MetaLearnerSettings DEFAULT =
            new MetaLearnerSettings(BoostingSettings.DEFAULT, 3, 0, 2.0, true, false);

    /** These settings without the description embedding. */
    public MetaLearnerSettings withoutText() {
        return new MetaLearnerSettings(boosting, ensemble, neighbours, topWeight, false, pairwise);
    }

    /** These settings without the neighbour features. */
    public MetaLearnerSettings withoutNeighbours() {
        return withNeighbours(0);
    }

    /** These settings with neighbour features from this many training tasks (0: none). */
    public MetaLearnerSettings withNeighbours(int count) {
        return new MetaLearnerSettings(boosting, ensemble, count, topWeight, useText, pairwise);
    }

    /** These settings with the pairwise loss on or off. */
    public MetaLearnerSettings withPairwise(boolean on) {
        return new MetaLearnerSettings(boosting, ensemble, neighbours, topWeight, useText, on);
    }

    public MetaLearnerSettings {
        if (boosting == null || ensemble < 1 || neighbours < 0 || topWeight < 0) {
            throw new IllegalArgumentException("meta-learner settings out of range: " + this);
        }
    }
}
