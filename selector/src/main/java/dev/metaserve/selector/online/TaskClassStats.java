package dev.metaserve.selector.online;

/**
 * One task class in a {@link PolicySnapshot}.
 *
 * @param taskClass        the class in its text form
 * @param decisions        decisions made for it since it was opened
 * @param observations     observations it received
 * @param recentDecisions  decisions behind {@code recentMeanRegret} (at most the regret window)
 * @param recentMeanRegret mean estimated regret of those decisions: expected latency of the chosen candidate over the
 *                         best one's, minus 1 (0.05 = 5% slower than the best it believed in)
 */
public record TaskClassStats(String taskClass, long decisions, long observations, int recentDecisions,
        double recentMeanRegret) {}
