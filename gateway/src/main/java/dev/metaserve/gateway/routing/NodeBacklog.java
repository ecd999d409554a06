package dev.metaserve.gateway.routing;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The calls this gateway has open to one node, by how long each was expected to take on an idle node, for the
 * selector's {@code processor-sharing} load: a request expected to take {@code E} is held up by each open call for at
 * most {@code E}, and only for that call's length if it is shorter, so its load factor is
 * {@code 1 + sum over open calls of min(e, E) / E}. A long request behind a few short calls barely notices them; a
 * short one behind anything waits about its own length per call, as when counting calls.
 *
 * <p>Calls are counted in buckets of expected length a factor of sqrt(2) apart, so entering and leaving are one atomic
 * increment and a factor reads a fixed number of counters. A call of unknown length (one that named its own plan, so
 * nothing was expected of it) counts as long as the request it delays.
 */
public final class NodeBacklog {
    /** Buckets of known length; bucket b holds calls of about {@code SHORTEST_MS * 2^(b/2)} ms (up to ~6 min). */
    private static final int BUCKETS = 44;
    private static final double SHORTEST_MS = 0.125;
    /** The slot of calls of unknown length. */
    static final int UNKNOWN = BUCKETS;
    private static final double[] LENGTH_MS = new double[BUCKETS];

    static {
        for (int b = 0; b < BUCKETS; b++) {
            LENGTH_MS[b] = SHORTEST_MS * Math.pow(2, b / 2.0);
        }
    }

    private final AtomicIntegerArray open = new AtomicIntegerArray(BUCKETS + 1);

    /**
     * Counts a call that starts now.
     *
     * @param expectedMs its expected latency on an idle node, or NaN when unknown
     * @return the slot to hand to {@link #leave} when the call ends
     */
    public int enter(double expectedMs) {
        int slot = slotOf(expectedMs);
        open.incrementAndGet(slot);
        return slot;
    }

    /** A call counted by {@link #enter} ended. */
    public void leave(int slot) {
        open.decrementAndGet(slot);
    }

    /**
     * By how much the open calls slow a request expected to take {@code expectedMs} on an idle node: 1 when none is
     * open.
     *
     * @param otherCalls calls of unknown length beyond this gateway's (what the node reports queued)
     */
    public double factor(double expectedMs, int otherCalls) {
        double e = Math.max(expectedMs, Double.MIN_NORMAL);
        double delay = (open.get(UNKNOWN) + otherCalls) * e;
        for (int b = 0; b < BUCKETS; b++) {
            int n = open.get(b);
            if (n != 0) {
                delay += n * Math.min(LENGTH_MS[b], e);
            }
        }
        return 1 + delay / e;
    }

    private static int slotOf(double expectedMs) {
        if (!(expectedMs > 0) || expectedMs == Double.POSITIVE_INFINITY) {
            return UNKNOWN;
        }
        long b = Math.round(2 * Math.log(expectedMs / SHORTEST_MS) / Math.log(2));
        return (int) Math.max(0, Math.min(BUCKETS - 1, b));
    }
}
