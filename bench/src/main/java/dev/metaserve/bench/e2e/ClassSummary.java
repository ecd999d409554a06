package dev.metaserve.bench.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task class: each mode's latency, the best fixed plan and how the selector and random compare.
 *
 * @param modes               per mode, in the order measured
 * @param bestFixed           the fixed mode with the lowest mean latency; null when no fixed mode was measured
 * @param selectorToBestFixed selector mean / best fixed mean (NaN when either is missing)
 * @param matchesBestFixed    whether the selector's mean is within {@link Summary#MATCH_TOLERANCE} of the best fixed
 * @param randomToSelector    random mean / selector mean (NaN when either is missing)
 */
record ClassSummary(String taskClass, Phase phase, Map<Mode, ModeStats> modes, Mode bestFixed,
                    double selectorToBestFixed, boolean matchesBestFixed, double randomToSelector) {
    public ClassSummary {
        modes = Collections.unmodifiableMap(new LinkedHashMap<>(modes));
    }

    /** This mode's mean over the selector's (NaN when either is missing, or the mode is null). */
    public double ratioToSelector(Mode mode) {
        return mean(mode) / mean(Mode.SELECTOR);
    }

    /** The mode's mean latency, ms; NaN when it was not measured on this class. */
    public double mean(Mode mode) {
        return modes.getOrDefault(mode, ModeStats.NONE).meanMs();
    }
}
