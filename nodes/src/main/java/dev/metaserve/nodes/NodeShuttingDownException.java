package dev.metaserve.nodes;

/** The node is draining and takes no new work. Maps to UNAVAILABLE. */
public class NodeShuttingDownException extends RuntimeException {
    public NodeShuttingDownException() {
        super("node is shutting down");
    }
}
