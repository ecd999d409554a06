package dev.metaserve.gateway.routing;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The calls this gateway has open to one node, by how long each was expected to take on an idle node: what a new call
 * waits behind. A node's threads are shared by its open calls, so the estimate follows processor sharing: a request
 * expected to take {@code E} on an idle node is held up by each open call for at most {@code E}, and only for that
 * call's length if it is shorter: latency = E + sum over open calls of min(e, E). A short request behind a long call
 * is twice as slow; a long request behind a few short calls barely notices them. Counting calls alone (every call as
 * long as the new one) would send long requests away from nodes busy with short ones.
 *
 * <p>Calls are counted in buckets of expected length, a factor of sqrt(2) apart, so entering and leaving are one
 * atomic increment and an estimate reads a fixed number of counters. A call of unknown length (one that named its own
 * plan, so nothing was expected of it) is counted as long as the request it delays.
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
     * The open calls as they stand, to estimate once a call has been served what it waited for.
     *
     * @param otherCalls calls of unknown length beyond this gateway's (what other gateways sent the node)
     */
    public Snapshot snapshot(int otherCalls) {
        int[] counts = new int[BUCKETS + 1];
        for (int b = 0; b <= BUCKETS; b++) {
            counts[b] = open.get(b);
        }
        counts[UNKNOWN] += otherCalls;
        return new Snapshot(counts);
    }

    /**
     * By how much the open calls slow a request expected to take {@code expectedMs} on an idle node: 1 when none is
     * open.
     *
     * @param otherCalls calls of unknown length beyond this gateway's (what other gateways sent the node)
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

    /** The calls open at one moment, per bucket of expected length (the last: of unknown length). */
    public static final class Snapshot {
        private final int[] open;

        private Snapshot(int[] open) {
            this.open = open;
        }

        /**
         * The latency a call that started at this snapshot and took {@code latencyMs} would have had on an idle node:
         * the {@code E} with {@code E + sum of min(e, E) = latencyMs}. The left side grows with {@code E}, piecewise
         * linearly, bending at each bucket's length; walking the buckets from the shortest finds the piece that holds
         * the solution.
         */
        public double idleLatencyMs(double latencyMs) {
            // on the piece where E lies between LENGTH_MS[k - 1] and LENGTH_MS[k]: calls in buckets below k add their
            // length, calls from bucket k up (and those of unknown length) add E
            int longer = 0;
            for (int count : open) {
                longer += count;
            }
            double shorterSum = 0;
            for (int k = 0; k < BUCKETS; k++) {
                double e = (latencyMs - shorterSum) / (1 + longer);
                if (e <= LENGTH_MS[k]) {
                    return e;
                }
                shorterSum += open[k] * LENGTH_MS[k];
                longer -= open[k];
            }
            return (latencyMs - shorterSum) / (1 + longer);
        }
    }

    private static int slotOf(double expectedMs) {
        if (!(expectedMs > 0) || expectedMs == Double.POSITIVE_INFINITY) {
            return UNKNOWN;
        }
        long b = Math.round(2 * Math.log(expectedMs / SHORTEST_MS) / Math.log(2));
        return (int) Math.max(0, Math.min(BUCKETS - 1, b));
    }
}
