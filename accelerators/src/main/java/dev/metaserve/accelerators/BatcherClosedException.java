package dev.metaserve.accelerators;

/** The batcher is shutting down: it takes no new items, or it dropped this queued item on {@code shutdownNow}. */
public class BatcherClosedException extends RuntimeException {
    public BatcherClosedException() {
        super("batcher is shutting down");
    }
}
