package dev.metaserve.nodes;

/** The work queue is full; the caller should go elsewhere or retry later. Maps to RESOURCE_EXHAUSTED. */
public class NodeOverloadedException extends RuntimeException {
    private final int queueCapacity;

    public NodeOverloadedException(int queueCapacity) {
        super("queue is full (capacity " + queueCapacity + ")");
        this.queueCapacity = queueCapacity;
    }

    public int queueCapacity() {
        return queueCapacity;
    }
}
