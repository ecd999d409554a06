package dev.metaserve.nodes;

import java.time.Duration;

/**
 * How a node runs; {@link NodeMain} fills it from the command line.
 *
 * @param nodeId          this node's id at the gateway
 * @param host            address the gateway and clients reach this node at
 * @param port            NodeInference port, 0 to pick a free one
 * @param gateway         host:port of the gateway's NodeRegistry
 * @param joinToken       shared secret the gateway checks on Register; may be empty
 * @param intraOpThreads  ONNX Runtime threads within one model run
 * @param maxBatchSize    most texts one request may carry
 * @param queueCapacity   requests that may wait for a worker before new ones are refused
 * @param workers         requests computed at once
 * @param drainTimeout    how long shutdown waits for accepted requests to finish
 */
public record NodeSettings(String nodeId, String host, int port, String gateway, String joinToken, int intraOpThreads,
                           int maxBatchSize, int queueCapacity, int workers, Duration drainTimeout) {
    public NodeSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
        }
        if (intraOpThreads < 1 || maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("intra-op threads, max batch size, queue capacity and workers must each"
                    + " be at least 1");
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
        if (gateway == null || gateway.isBlank()) {
            throw new IllegalArgumentException("gateway address must not be blank");
        }
        joinToken = joinToken == null ? "" : joinToken;
    }
}
