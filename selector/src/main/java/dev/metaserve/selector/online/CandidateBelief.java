package dev.metaserve.selector.online;

/**
 * What the policy believes of one candidate of a task class, in a {@link TaskClassStats}.
 *
 * @param nodeId         the candidate's node
 * @param plan           its plan, in text form
 * @param idleLatencyMs  the latency it is believed to have on an idle node: the model's prior, moved to the class's
 *                       level, updated with the candidate's own discounted evidence
 * @param priorToFavourite the model's prior over the prior of the class's favourite candidate (1: the model expects
 *                       it to be the fastest; 1.3: 30% slower than that)
 * @param evidenceWeight how many observations' worth of live evidence stands behind it now (discounted by age and
 *                       number)
 * @param observations   observations it ever received
 * @param chosenWeight   how many of its recent requests chosen by the policy the next two rest on (discounted by
 *                       number, at most about 64, and by the class's time in use as evidence is); 0: none. The two
 *                       are means over those requests and do not fade with time themselves: read them with this
 * @param servedToExpected geometric mean, over those requests, of the latency served over the latency the policy
 *                       expected when it chose them, the node's load then included (1: its expectations held; 2:
 *                       they took twice as long). 1 with none
 * @param chosenLoadFactor geometric mean of the load factor they were chosen under; 1 with none
 */
public record CandidateBelief(String nodeId, String plan, double idleLatencyMs, double priorToFavourite,
        double evidenceWeight, long observations, double chosenWeight, double servedToExpected,
        double chosenLoadFactor) {}
