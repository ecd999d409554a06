package dev.metaserve.selector.baselines;

import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.method.Selector;
import dev.metaserve.selector.method.TrainingContext;

/**
 * The single best plan: the candidate that was best most often in training, whatever the task; when a query does not
 * offer it (not available, or expected to break the tolerance), the next in that order.
 */
public final class SingleBest implements SelectionMethod {
    @Override
    public String name() {
        return "single-best";
    }

    @Override
    public Selector train(TrainingContext context) {
        CandidateRanking ranking = CandidateRanking.of(context.problems());
        return query -> Choice.of(ranking.pickOrFirst(query.candidates()));
    }
}
