package dev.metaserve.nodes;

import java.util.Arrays;

/** The last {@code capacity} request latencies, overwriting the oldest; thread-safe. */
public final class LatencyWindow {
    private final double[] millis;
    private int next;
    private int size;

    public LatencyWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.millis = new double[capacity];
    }

    public synchronized void record(double latencyMillis) {
        millis[next] = latencyMillis;
        next = (next + 1) % millis.length;
        size = Math.min(size + 1, millis.length);
    }

    /** Median of the recorded latencies in milliseconds, 0 when none has been recorded. */
    public synchronized double medianMillis() {
        if (size == 0) {
            return 0;
        }
        double[] sorted = Arrays.copyOf(millis, size);
        Arrays.sort(sorted);
        int mid = size / 2;
        return size % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
