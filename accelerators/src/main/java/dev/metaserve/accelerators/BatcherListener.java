package dev.metaserve.accelerators;

/**
 * What a {@link DynamicBatcher} reports as it works, so the caller can keep metrics without this module depending on a
 * metrics library. Called on the batcher's threads (and on the submitting thread for {@link #rejected()}); must be
 * quick and must not throw. Every method does nothing unless overridden.
 */
public interface BatcherListener {
    BatcherListener NONE = new BatcherListener() { };

    /** A batch of {@code rows} rows from {@code items} items is about to run. */
    default void batchRan(int rows, int items) {
    }

    /** An item waited {@code nanos} from its submission to the start of the batch it runs in. */
    default void queued(long nanos) {
    }

    /** An item was refused because the queue was full. */
    default void rejected() {
    }

    /** An item was dropped uncomputed because its caller had gone away when its batch was formed. */
    default void cancelled() {
    }
}
