package dev.metaserve.selector.baselines;

import dev.metaserve.selector.features.TaskFeatures;
import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.method.Selector;
import dev.metaserve.selector.method.TrainingContext;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.CandidateKey;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tribuo.Model;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * ALORS (algorithm recommendation as collaborative filtering): the task x candidate matrix of relative scores (score
 * minus the task's mean; unmeasured entries missing) is completed by a rank-{@value #RANK} factorization; a random
 * forest (Tribuo) learns to map task features to a task's latent factors, so a new task gets factors, hence a
 * predicted score for every candidate, and takes the lowest among those offered.
 */
public final class Alors implements SelectionMethod {
    static final int RANK = 5;
    private static final double LAMBDA = 0.5;
    private final int trees;

    /** @param trees trees of the random forest mapping task features to latent factors */
    public Alors(int trees) {
        this.trees = trees;
    }

    @Override
    public String name() {
        return "alors";
    }

    @Override
    public Selector train(TrainingContext context) {
        List<SelectionProblem> problems = Problems.distinctMeasurements(context.problems());
        List<CandidateKey> columns = new ArrayList<>(new TreeSet<>(problems.stream()
                .flatMap(p -> p.candidates().stream().map(m -> m.candidate().key())).toList()));
        Map<CandidateKey, Integer> column = new HashMap<>();
        for (int j = 0; j < columns.size(); j++) {
            column.put(columns.get(j), j);
        }
        double[][] matrix = new double[problems.size()][columns.size()];
        for (int i = 0; i < problems.size(); i++) {
            SelectionProblem p = problems.get(i);
            Arrays.fill(matrix[i], Double.NaN);
            double mean = 0;
            for (int c = 0; c < p.size(); c++) {
                mean += p.score(c) / p.size();
            }
            for (int c = 0; c < p.size(); c++) {
                matrix[i][column.get(p.key(c))] = p.score(c) - mean;
            }
        }
        int rank = Math.min(RANK, Math.max(1, Math.min(problems.size(), columns.size()) - 1));
        MatrixFactorization factors = MatrixFactorization.fit(matrix, rank, LAMBDA, context.seed());

        TaskFeatures features = context.taskFeatures();
        String[] dims = new String[rank];
        for (int k = 0; k < rank; k++) {
            dims[k] = "u" + k;
        }
        TribuoData<Regressor> data = new TribuoData<>(new RegressionFactory(), features.names());
        List<double[]> x = problems.stream().map(p -> features.of(p.task())).toList();
        List<Regressor> y = Arrays.stream(factors.rows).map(u -> new Regressor(dims, u)).toList();
        CARTRegressionTrainer tree = new CARTRegressionTrainer(Integer.MAX_VALUE, 2f, 0f, 0.5f, false,
                new MeanSquaredError(), context.seed());
        Model<Regressor> forest = new RandomForestTrainer<>(tree, new AveragingCombiner(), trees, context.seed())
                .train(data.dataset("alors latent factors", x, y));
        CandidateRanking fallback = CandidateRanking.of(context.problems());
        return query -> {
            Regressor predicted = forest.predict(data.query(features.of(query.task()))).getOutput();
            double[] u = new double[rank];
            for (int k = 0; k < rank; k++) {
                u[k] = predicted.getDimension(dims[k]).orElseThrow().getValue();
            }
            Candidate best = null;
            double bestScore = Double.POSITIVE_INFINITY;
            for (Candidate c : query.candidates()) {
                Integer j = column.get(c.key());
                if (j != null && factors.value(u, j) < bestScore) {
                    bestScore = factors.value(u, j);
                    best = c;
                }
            }
            return Choice.of(best != null ? best : fallback.pickOrFirst(query.candidates()));
        };
    }
}
