package dev.metaserve.selector.baselines;

import dev.metaserve.selector.method.SelectionMethod;
import java.util.List;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.tree.RandomForestTrainer;

/** The baselines with their settings. */
public final class Baselines {
    /** Trees of the random forests (classifier and ALORS's regressor) and rounds of gradient boosting. */
    public static final int DEFAULT_TREES = 200;

    private Baselines() {}

    /** Tribuo random forest of unpruned CART trees, each split drawing half the features, voting. */
    public static SelectionMethod randomForest(int trees) {
        return new BestCandidateClassifier("random-forest", seed -> new RandomForestTrainer<>(
                new CARTClassificationTrainer(Integer.MAX_VALUE, 0.5f, seed), new VotingCombiner(), trees, seed));
    }

    /** XGBoost through Tribuo: depth 4, eta 0.1, subsample 0.8 of rows and features, one thread. */
    public static SelectionMethod gradientBoosting(int rounds) {
        return new BestCandidateClassifier("gradient-boosting", seed -> new XGBoostClassificationTrainer(rounds, 0.1,
                0, 4, 1, 0.8, 0.8, 1, 0, 1, true, seed));
    }

    /** random, single best, ISAC, ALORS, random forest, gradient boosting, with {@code trees} trees each. */
    public static List<SelectionMethod> all(int trees) {
        return List.of(new RandomChoice(), new SingleBest(), new Isac(), new Alors(trees), randomForest(trees),
                gradientBoosting(trees));
    }
}
