package dev.metaserve.selector.online;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** The last few regret estimates of a task class, in a ring written without locks. */
final class RegretWindow {
    private final AtomicLongArray ring;
    private final AtomicLong written = new AtomicLong();

    RegretWindow(int size) {
        this.ring = new AtomicLongArray(size);
    }

    void add(double regret) {
        long slot = written.getAndIncrement() % ring.length();
        ring.setRelease((int) slot, Double.doubleToRawLongBits(regret));
    }

    /** Estimates held: the window's size once full. */
    int count() {
        return (int) Math.min(written.get(), ring.length());
    }

    /** Mean of the estimates held; 0 when none. */
    double mean() {
        int n = count();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Double.longBitsToDouble(ring.getAcquire(i));
        }
        return n == 0 ? 0 : sum / n;
    }
}
