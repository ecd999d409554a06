package dev.metaserve.selector.baselines;

import dev.metaserve.selector.features.TaskFeatures;
import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.method.Selector;
import dev.metaserve.selector.method.TrainingContext;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.SelectionProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * ISAC (instance-specific algorithm configuration): cluster the training tasks by their standardised features with
 * k-means; each cluster keeps the candidate ranking of its own problems (most often best, then lowest mean regret).
 * A new task goes to its nearest cluster centre and takes that cluster's top candidate among those offered, falling
 * back to the ranking over all training problems. The original uses g-means to choose k; here k is
 * {@code round(sqrt(n / 2))}, at least 2, for n training problems.
 */
public final class Isac implements SelectionMethod {
    @Override
    public String name() {
        return "isac";
    }

    @Override
    public Selector train(TrainingContext context) {
        TaskFeatures features = context.taskFeatures();
        List<SelectionProblem> problems = context.problems();
        List<double[]> raw = problems.stream().map(p -> features.of(p.task())).toList();
        Standardizer standardizer = Standardizer.fit(raw);
        List<double[]> points = raw.stream().map(standardizer::apply).toList();
        int k = Math.max(2, (int) Math.round(Math.sqrt(problems.size() / 2.0)));
        KMeans kMeans = KMeans.fit(points, k, context.seed());
        List<CandidateRanking> rankings = new ArrayList<>();
        for (int c = 0; c < kMeans.centres.length; c++) {
            List<SelectionProblem> members = new ArrayList<>();
            for (int i = 0; i < problems.size(); i++) {
                if (kMeans.assignment[i] == c) {
                    members.add(problems.get(i));
                }
            }
            rankings.add(CandidateRanking.of(members));
        }
        CandidateRanking overall = CandidateRanking.of(problems);
        return query -> {
            int cluster = KMeans.nearestCentre(kMeans.centres, standardizer.apply(features.of(query.task())));
            Candidate pick = rankings.get(cluster).pick(query.candidates());
            return Choice.of(pick != null ? pick : overall.pickOrFirst(query.candidates()));
        };
    }
}
