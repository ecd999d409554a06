package dev.metaserve.selector.model;

import dev.metaserve.selector.features.DescriptionEmbedder;
import dev.metaserve.selector.learn.MetaLearner;
import dev.metaserve.selector.learn.MetaLearnerSettings;
import dev.metaserve.selector.learn.PerformanceModel;
import dev.metaserve.selector.method.TrainingContext;
import dev.metaserve.selector.problem.ProblemSet;
import dev.metaserve.selector.quality.QualityEstimator;
import java.time.Instant;

/** Trains the model to serve on all the data: the offline retraining behind {@code selector train}. */
public final class SelectorTraining {
    private SelectorTraining() {}

    /**
     * @param summary free text for the header (data source, settings)
     * @throws IllegalArgumentException when there is no problem to learn from
     */
    public static SelectorModel train(ProblemSet data, DescriptionEmbedder embedder, MetaLearnerSettings settings,
            int textComponents, long seed, Instant now, String summary) {
        TrainingContext context = new TrainingContext(data.problems(), embedder, textComponents, seed);
        PerformanceModel performance = new MetaLearner("metainf", settings).fit(context);
        QualityEstimator quality = QualityEstimator.fit(data.problems());
        return SelectorModelFile.seal(quality, performance, now, data.observations(), data.problems().size(),
                summary);
    }
}
