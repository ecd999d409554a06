package dev.metaserve.bench.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The classes of one phase together.
 *
 * @param classes              how many task classes
 * @param ratioToSelector      per mode, the geometric mean over the classes of its mean latency over the selector's;
 *                             NaN for a mode not measured on every class, and all NaN without the selector
 * @param bestSingleFixed      the fixed mode with the lowest geometric mean of mean latency over the classes, among
 *                             those measured on every class: the best one plan for the whole phase; null if none
 * @param bestPerClassToSelector geometric mean over the classes of each class's best fixed mean over the selector's:
 *                             below 1, choosing per class would beat the selector
 * @param matchedClasses       classes where the selector matches the best fixed plan
 */
record PhaseSummary(Phase phase, int classes, Map<Mode, Double> ratioToSelector, Mode bestSingleFixed,
                    double bestPerClassToSelector, int matchedClasses) {
    public PhaseSummary {
        ratioToSelector = Collections.unmodifiableMap(new LinkedHashMap<>(ratioToSelector));
    }
}
