package dev.metaserve.nodes.generation;

import java.util.function.BooleanSupplier;

/** Waits up to 10 s for a condition; no timing is asserted. */
final class Poll {
    private Poll() {}

    static void until(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition did not hold within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
