package dev.metaserve.accelerators;

/** The batcher's queue holds {@link #queueCapacity()} items already; the item was refused at once, not queued. */
public class QueueFullException extends RuntimeException {
    private final int queueCapacity;

    public QueueFullException(int queueCapacity) {
        super("queue is full (capacity " + queueCapacity + ")");
        this.queueCapacity = queueCapacity;
    }

    public int queueCapacity() {
        return queueCapacity;
    }
}
