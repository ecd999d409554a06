package dev.metaserve.selector.learn;

import dev.metaserve.selector.features.CandidateFeatures;
import dev.metaserve.selector.features.TaskDescriptors;
import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.method.Selector;
import dev.metaserve.selector.method.TrainingContext;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * Ours, after MetaInf: one regression model over (task, node, plan) features for all tasks and plans, so what a plan
 * does on one task informs every other. The target is relative: a candidate's score minus its task's mean score, so
 * that a 5 ms embedding task and a 2 s generation task weigh alike and only the order within a task is learnt. Rows
 * near their task's best weigh more. The choice is the candidate with the lowest predicted relative score.
 */
public final class MetaLearner implements SelectionMethod {
    private final String name;
    private final MetaLearnerSettings settings;

    public MetaLearner(String name, MetaLearnerSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Selector train(TrainingContext context) {
        PerformanceModel model = fit(context);
        return query -> {
            double[] predicted = model.predict(query.task(), query.candidates());
            int best = 0;
            for (int i = 1; i < predicted.length; i++) {
                if (predicted[i] < predicted[best]) {
                    best = i;
                }
            }
            return Choice.of(query.candidates().get(best));
        };
    }

    /** Trains the performance model on the context's problems. */
    public PerformanceModel fit(TrainingContext context) {
        List<SelectionProblem> problems = Problems.distinctMeasurements(context.problems());
        CandidateFeatures features = CandidateFeatures.fit(problems, context.embedder(),
                settings.useText() ? context.textComponents() : 0);
        NeighbourScores neighbours = settings.neighbours() == 0 ? null
                : NeighbourScores.fit(problems, settings.neighbours());
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        List<int[]> groups = new ArrayList<>();
        for (SelectionProblem p : problems) {
            int[] group = new int[p.size()];
            double[] taskDescriptors = TaskDescriptors.of(p.task());
            NeighbourScores.Neighbours near = neighbours == null ? null : neighbours.neighbours(p.task(), p.cell());
            double mean = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < p.size(); i++) {
                mean += p.score(i) / p.size();
                min = Math.min(min, p.score(i));
            }
            for (int i = 0; i < p.size(); i++) {
                group[i] = x.size();
                x.add(PerformanceModel.row(features, taskDescriptors, p.task(), p.candidates().get(i).candidate(),
                        near));
                y.add(p.score(i) - mean);
                w.add(1 + settings.topWeight() * Math.exp(-(p.score(i) - min) / 0.05));
            }
            groups.add(group);
        }
        double[][] xs = x.toArray(new double[0][]);
        double[] ys = y.stream().mapToDouble(Double::doubleValue).toArray();
        double[] ws = w.stream().mapToDouble(Double::doubleValue).toArray();
        GradientBoosting boosting = new GradientBoosting(settings.boosting());
        List<BoostedTrees> ensemble = new ArrayList<>();
        Loss loss = settings.pairwise() ? new PairwiseLoss(ys, groups) : new SquaredLoss(ys, ws);
        for (int m = 0; m < settings.ensemble(); m++) {
            ensemble.add(boosting.fit(xs, loss, context.seed() * 31 + m));
        }
        return new PerformanceModel(features, neighbours, ensemble);
    }
}
