package dev.metaserve.selector.online;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One task class in a {@link PolicySnapshot}.
 *
 * @param taskClass        the class in its text form
 * @param decisions        decisions made for it since it was opened
 * @param observations     observations it received
 * @param recentDecisions  decisions behind {@code recentMeanRegret} (at most the regret window)
 * @param recentMeanRegret mean estimated regret of those decisions: expected latency of the chosen candidate over the
 *                         best one's, minus 1 (0.05 = 5% slower than the best it believed in)
 * @param loadElasticity   per node id and batching ({@code node-1 batching=none}), how the node's load slows this
 *                         class under that batching (see {@code LoadElasticity}): 1 = latency grows with the
 *                         load factor, 0.5 = with its square root
 * @param beliefs          every candidate with a prior, believed fastest first
 */
public record TaskClassStats(String taskClass, long decisions, long observations, int recentDecisions,
        double recentMeanRegret, Map<String, Double> loadElasticity, List<CandidateBelief> beliefs) {
    public TaskClassStats {
        loadElasticity = Collections.unmodifiableSortedMap(new TreeMap<>(loadElasticity));
        beliefs = List.copyOf(beliefs);
    }
}
