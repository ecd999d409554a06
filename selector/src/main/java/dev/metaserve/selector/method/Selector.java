package dev.metaserve.selector.method;

import dev.metaserve.selector.problem.SelectionQuery;

/** A trained method: picks among a query's candidates, all of which are expected to keep quality within tolerance. */
@FunctionalInterface
public interface Selector {
    Choice choose(SelectionQuery query);
}
