package dev.metaserve.selector.baselines;

import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.method.Selector;
import dev.metaserve.selector.method.TrainingContext;

/**
 * Picks uniformly among the candidates expected to keep quality; scored by its expectation, not by one seeded draw.
 */
public final class RandomChoice implements SelectionMethod {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public Selector train(TrainingContext context) {
        return query -> new Choice(query.candidates());
    }
}
