package dev.metaserve.selector.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.selector.learn.BoostingSettings;
import dev.metaserve.selector.learn.MetaLearnerSettings;
import dev.metaserve.selector.online.Estimate;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.ProblemSet;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.TaskProfile;
import dev.metaserve.selector.testing.HashingEmbedder;
import dev.metaserve.selector.testing.SyntheticHistory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The served model as the online policy's priors: the same order and the same gate as the model's own choice. */
class ModelPriorsTest {
    private static ProblemSet data;
    private static SelectorModel model;

    @BeforeAll
    static void train() {
        data = Problems.from(SyntheticHistory.generate(3));
        MetaLearnerSettings settings = new MetaLearnerSettings(new BoostingSettings(40, 3, 0.15, 2, 0.8, 0.8, 1, 32),
                1, 2, 2.0, true, false);
        model = SelectorTraining.train(data, new HashingEmbedder(), settings, 4, 1, Instant.EPOCH, "priors test");
    }

    @Test
    void thePriorsLowestAdmissibleMeanIsTheModelsChoice() {
        ModelPriors priors = new ModelPriors(model, 0.5);
        assertThat(priors.version()).isEqualTo(model.header().modelId());
        for (SelectionProblem p : data.problems()) {
            TaskProfile task = p.query().task();
            List<Candidate> candidates = p.query().candidates();
            Estimate[] estimates = priors.priors(task, candidates);

            int best = -1;
            boolean anyAdmissible = false;
            for (Estimate e : estimates) {
                anyAdmissible |= e.qualityDelta() <= task.qualityTolerance();
            }
            for (int i = 0; i < estimates.length; i++) {
                assertThat(estimates[i].variance()).isEqualTo(0.25);
                assertThat(estimates[i].qualityDelta()).isEqualTo(model.quality().estimate(task, candidates.get(i)));
                boolean admissible = !anyAdmissible || estimates[i].qualityDelta() <= task.qualityTolerance();
                if (admissible && (best < 0 || estimates[i].mean() < estimates[best].mean())) {
                    best = i;
                }
            }
            if (anyAdmissible) {
                assertThat(best).as(p.toString()).isEqualTo(model.choose(task, candidates));
            }
            assertThat(priors.prior(task, candidates.get(0)).mean()).isEqualTo(estimates[0].mean());
        }
    }

    @Test
    void aSpreadMustBePositive() {
        assertThatThrownBy(() -> new ModelPriors(model, 0)).hasMessageContaining("standard deviation");
        assertThatThrownBy(() -> new ModelPriors(null)).hasMessageContaining("model");
    }
}
