package dev.metaserve.nodes;

import dev.metaserve.accelerators.Batching;
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
 * @param queueCapacity   requests that may wait for a batch (per batching setting in use) before new ones are refused
 * @param workers         batches computed at once
 * @param drainTimeout    how long shutdown waits for accepted requests to finish
 * @param batching        the batching setting of requests that name none
 * @param metricsPort     HTTP port of {@code /metrics}; 0 picks a free one, -1 serves no metrics
 */
public record NodeSettings(String nodeId, String host, int port, String gateway, String joinToken, int intraOpThreads,
                           int maxBatchSize, int queueCapacity, int workers, Duration drainTimeout, Batching batching,
                           int metricsPort) {
    /** Without batching ({@code none}) and without a metrics endpoint. */
    public NodeSettings(String nodeId, String host, int port, String gateway, String joinToken, int intraOpThreads,
                        int maxBatchSize, int queueCapacity, int workers, Duration drainTimeout) {
        this(nodeId, host, port, gateway, joinToken, intraOpThreads, maxBatchSize, queueCapacity, workers, drainTimeout,
                Batching.NONE, -1);
    }

    public NodeSettings {
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics port must be -1 (off) or in [0, 65535], was " + metricsPort);
        }
        if (batching == null) {
            throw new IllegalArgumentException("batching must not be null");
        }
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
