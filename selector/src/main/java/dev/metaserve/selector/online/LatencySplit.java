package dev.metaserve.selector.online;

/**
 * A candidate's latency in two parts: the network delay between gateway and node, which its node's load does not
 * stretch, and the work on the node, which it does: {@code latency = delay + work on an idle node * load factor ^
 * elasticity}. The delay is the one its node reports ({@code HardwareProfile.networkDelayMs}); 0 leaves the plain
 * power law of {@link LoadElasticity}.
 *
 * <p>Why: a power law over the whole latency bends the wrong way for a node far away. Its fixed delay makes latency
 * grow with load by less than the work does, so the slope fitted to it comes out low (0.41-0.74 for the 20 ms node of
 * {@code selector-e2e}, 0.9-1.1 for its neighbours on the same CPUs), and at a high load factor the policy expected
 * far less of it than it took: generation requests it sent there while the other nodes were busy averaged 163-204 ms,
 * against 41-55 ms believed idle, where least-loaded routing's requests there took 78-85 ms.
 *
 * <p>Scores are on the policy's scale: {@code ln(latency ms) - logMsShift}.
 */
final class LatencySplit {
    /**
     * A latency whose work, after the delay, would be less than this share of it is taken as all work (the plain
     * power law). Such a latency, or a belief of one, is barely above the delay or under it (a belief not yet learnt,
     * a clock, a delay that changed): taken at its word it would be nearly all delay, the load could hardly stretch
     * it, and a busy node would look as fast as an idle one. The nodes of {@code selector-e2e} stay clear of it: 20 ms
     * of delay in 25 ms or more.
     */
    static final double MIN_WORK_SHARE = 0.2;

    private LatencySplit() {}

    /**
     * By how much a load raises the score of a candidate expected to score {@code idleScore} on an idle node.
     *
     * @param logLoad ln of the load factor
     */
    static double loadOffset(double idleScore, double logMsShift, double delayMs, double elasticity, double logLoad) {
        double stretch = elasticity * logLoad;
        if (delayMs == 0 || stretch == 0) {
            return stretch;
        }
        double idleMs = Math.exp(idleScore + logMsShift);
        return Math.log(stretched(idleMs, delayMs, stretch)) - Math.log(idleMs);
    }

    /**
     * The score a request measured at {@code score} under the load would have had on an idle node. Not quite the
     * inverse of {@link #loadOffset} where one side of it is taken as all work and the other is not.
     */
    static double idleScore(double score, double logMsShift, double delayMs, double elasticity, double logLoad) {
        double stretch = elasticity * logLoad;
        if (delayMs == 0 || stretch == 0) {
            return score - stretch;
        }
        return Math.log(stretched(Math.exp(score + logMsShift), delayMs, -stretch)) - logMsShift;
    }

    /** The score of a measured request's work alone: what the elasticity is fitted to. */
    static double workScore(double score, double logMsShift, double delayMs) {
        if (delayMs == 0) {
            return score;
        }
        return Math.log(work(Math.exp(score + logMsShift), delayMs)) - logMsShift;
    }

    /** The latency {@code ms} with its work multiplied by {@code exp(stretch)} and its delay kept. */
    private static double stretched(double ms, double delayMs, double stretch) {
        double workMs = work(ms, delayMs);
        return ms - workMs + workMs * Math.exp(stretch);
    }

    private static double work(double ms, double delayMs) {
        double work = ms - delayMs;
        return work >= MIN_WORK_SHARE * ms ? work : ms;
    }
}
