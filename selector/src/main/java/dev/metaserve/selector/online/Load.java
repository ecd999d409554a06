package dev.metaserve.selector.online;

/**
 * The work a decision's candidates would wait behind on their nodes right now, which the policy cannot learn because
 * it changes from one request to the next. The policy's beliefs are of each candidate's latency on an idle node; for a
 * decision, each candidate's expected latency is multiplied by its factor. How much a busy node slows a request
 * depends on the request: a short one waits behind everything, a long one only behind what the others still have to
 * do, hence the expected idle latency is handed in.
 */
@FunctionalInterface
public interface Load {
    /**
     * @param index      the candidate's position in the list given to the policy
     * @param expectedMs the latency the policy expects of the candidate on an idle node, in milliseconds
     * @return by how much the candidate's node slows such a request now: 1 when it is idle; finite and above 0
     */
    double factor(int index, double expectedMs);
}
