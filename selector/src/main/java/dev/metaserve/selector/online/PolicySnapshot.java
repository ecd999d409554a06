package dev.metaserve.selector.online;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the policy has done, for the admin endpoint: immutable, taken at once without stopping decisions (counts made
 * meanwhile may or may not be in it).
 *
 * @param modelVersion     version of the model whose priors new decisions use
 * @param decisions        decisions made in total
 * @param observations     observations received in total
 * @param decisionsPerPlan decisions per plan (text form), sorted by plan
 * @param decisionsPerNode decisions per node id, sorted by node id
 * @param recentMeanRegret mean estimated regret over the recent decisions of every class (see {@link TaskClassStats})
 * @param taskClasses      the task classes held, sorted by their text form
 */
public record PolicySnapshot(String modelVersion, long decisions, long observations, Map<String, Long> decisionsPerPlan,
        Map<String, Long> decisionsPerNode, double recentMeanRegret, List<TaskClassStats> taskClasses) {
    public PolicySnapshot {
        decisionsPerPlan = Collections.unmodifiableMap(new TreeMap<>(decisionsPerPlan));
        decisionsPerNode = Collections.unmodifiableMap(new TreeMap<>(decisionsPerNode));
        taskClasses = List.copyOf(taskClasses);
    }
}
