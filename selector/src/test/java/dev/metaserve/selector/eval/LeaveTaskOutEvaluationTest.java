package dev.metaserve.selector.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.selector.baselines.SingleBest;
import dev.metaserve.selector.learn.BoostingSettings;
import dev.metaserve.selector.learn.MetaLearner;
import dev.metaserve.selector.learn.MetaLearnerSettings;
import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.method.Selector;
import dev.metaserve.selector.method.TrainingContext;
import dev.metaserve.selector.problem.CellKey;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Measurement;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.Source;
import dev.metaserve.selector.store.TaskProfile;
import dev.metaserve.selector.testing.HashingEmbedder;
import dev.metaserve.selector.testing.SyntheticHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LeaveTaskOutEvaluationTest {
    private static final List<SelectionProblem> PROBLEMS = Problems.from(SyntheticHistory.generate(3)).problems();

    /** Records what it was trained on and what it was asked, and picks the first candidate. */
    private static final class Spy implements SelectionMethod {
        final List<String> leaks = Collections.synchronizedList(new ArrayList<>());
        final List<CellKey> asked = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "spy";
        }

        @Override
        public Selector train(TrainingContext context) {
            Set<CellKey> trainedOn = context.problems().stream().map(SelectionProblem::cell).collect(Collectors.toSet());
            return query -> {
                CellKey cell = CellKey.of(query.task());
                asked.add(cell);
                if (trainedOn.contains(cell)) {
                    leaks.add(cell.toString());
                }
                return Choice.of(query.candidates().get(0));
            };
        }
    }

    @Test
    void theHeldOutCellIsNeverInTraining() {
        Spy spy = new Spy();
        new LeaveTaskOutEvaluation(List.of(spy), new HashingEmbedder(), 0, 1, 2, null).run(PROBLEMS);

        assertThat(spy.leaks).isEmpty();
        assertThat(spy.asked).hasSize(PROBLEMS.size());
    }

    @Test
    void aFoldHoldsOutEveryObjectiveAndToleranceOfItsCell() {
        List<Fold> folds = Fold.byCell(PROBLEMS);
        assertThat(folds).hasSize(28);
        for (Fold fold : folds) {
            assertThat(fold.heldOut()).hasSize(4).allMatch(p -> p.cell().equals(fold.heldOutCell()));
            assertThat(fold.training()).noneMatch(p -> p.cell().equals(fold.heldOutCell()));
            assertThat(fold.training().size() + fold.heldOut().size()).isEqualTo(PROBLEMS.size());
        }
    }

    /**
     * Latency of embedding on one node: batching pays once concurrency is high enough for the work per request, int8
     * only on long inputs, so the best plan depends on tokens x concurrency and no plan is best everywhere.
     */
    private static List<SelectionProblem> interactionProblems() {
        HardwareProfile node = new HardwareProfile("n", 1, 1, 0, 0, "");
        List<Plan> plans = List.of(Plan.parse("batching=none,precision=fp32"), Plan.parse("batching=none,precision=int8"),
                Plan.parse("batching=dynamic(8,1000),precision=fp32"),
                Plan.parse("batching=dynamic(8,1000),precision=int8"));
        Random random = new Random(11);
        List<Observation> observations = new ArrayList<>();
        for (int tokens : List.of(16, 32, 64, 128, 256)) {
            for (int concurrency : List.of(1, 2, 4, 8, 16, 32)) {
                for (Plan plan : plans) {
                    boolean int8 = plan.precision() == Precision.INT8;
                    double compute = tokens * 0.05 * (int8 ? (tokens >= 64 ? 0.6 : 1.1) : 1.0);
                    double latency = plan.batching() instanceof Batching.Dynamic
                            ? 3 + compute * 1.2 * Math.sqrt(concurrency) : 2 + compute * concurrency;
                    latency *= Math.exp(0.01 * random.nextGaussian());
                    Measurement m = new Measurement(latency, latency, latency, concurrency * 1000 / latency, 0,
                            int8 ? 0.02 : 0, 100);
                    for (double tolerance : List.of(0.0, 0.05)) {
                        TaskProfile task = new TaskProfile("encoder", TaskProfile.EMBEDDING, TaskProfile.PROSE, tokens,
                                0, 1, concurrency, Objective.LATENCY, tolerance);
                        observations.add(Observation.of(task, plan, node, m, Instant.EPOCH, Source.SWEEP));
                    }
                }
            }
        }
        return Problems.from(observations).problems();
    }

    @Test
    void oursFindsTheInteractionThatSingleBestCannot() {
        List<SelectionProblem> problems = interactionProblems();
        MetaLearnerSettings small = new MetaLearnerSettings(new BoostingSettings(150, 4, 0.1, 2, 0.8, 0.8, 1, 32),
                1, 4, 2.0, true, false);
        List<MethodResult> results = new LeaveTaskOutEvaluation(
                List.of(new MetaLearner("ours", small), new SingleBest()), new HashingEmbedder(), 4, 1, 2, null)
                .run(problems);
        MethodResult ours = results.get(0);
        MethodResult singleBest = results.get(1);

        assertThat(WinTable.of(problems).get(0).bestOn()).isLessThan(problems.size() * 6 / 10);
        assertThat(ours.accuracy()).isGreaterThanOrEqualTo(0.75).isGreaterThan(singleBest.accuracy() + 0.2);
        assertThat(ours.meanRegret()).isLessThan(0.05).isLessThan(singleBest.meanRegret() / 4);
    }
}
