package dev.metaserve.selector.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.selector.eval.LeaveTaskOutEvaluation;
import dev.metaserve.selector.eval.MethodResult;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.testing.HashingEmbedder;
import dev.metaserve.selector.testing.SyntheticHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void everyBaselineTrainsAndChoosesOnTheSameFolds() {
        List<SelectionProblem> problems = Problems.from(SyntheticHistory.generate(7)).problems().stream()
                .filter(p -> p.task().model().equals(SyntheticHistory.ENCODER)).toList();
        List<SelectionMethod> methods = Baselines.all(30);
        List<MethodResult> results = new LeaveTaskOutEvaluation(methods, new HashingEmbedder(), 4, 1, 2, null)
                .run(problems);

        assertThat(results).extracting(MethodResult::method).containsExactly("random", "single-best", "isac", "alors",
                "random-forest", "gradient-boosting");
        for (MethodResult r : results) {
            assertThat(r.problems()).as(r.method()).isEqualTo(problems.size());
            assertThat(r.accuracy()).as(r.method()).isBetween(0.0, 1.0);
            assertThat(r.meanRegret()).as(r.method()).isGreaterThanOrEqualTo(0);
        }
        MethodResult random = results.get(0);
        for (MethodResult r : results.subList(1, results.size())) {
            assertThat(r.meanRegret()).as(r.method() + " beats random").isLessThan(random.meanRegret());
        }
    }
}
