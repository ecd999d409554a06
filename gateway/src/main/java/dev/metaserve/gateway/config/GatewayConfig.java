package dev.metaserve.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The gateway's own settings, under the prefix {@code gateway.}; each has its default here and in README.md. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Keys accepted as {@code Authorization: Bearer <key>} on inference calls; none configured means open access. */
    Optional<List<String>> apiKeys();

    /** Token a node must present to register; none configured means any node may join (a warning is logged). */
    Optional<String> joinToken();

    /** How long a node's lease lasts without a heartbeat before the node is dropped. */
    @WithDefault("3s")
    Duration leaseTtl();

    /** How often nodes are asked to send heartbeats; well under the lease so one lost beat is harmless. */
    @WithDefault("1s")
    Duration heartbeatInterval();

    /** Budget for one node call when the caller gave no deadline of its own. */
    @WithDefault("30s")
    Duration nodeCallTimeout();

    /**
     * Budget for one whole text generation (the stream, from the request to its last chunk, a retry included) when the
     * caller gave no sooner deadline. A node that leaves keeps its open calls for at most this (or
     * {@link #nodeCallTimeout()} if longer) plus a second, so that its streams end on their own.
     */
    @WithDefault("120s")
    Duration generationTimeout();

    /** The meta-learned selector: model, defaults of a request's task, history store. */
    SelectorConfig selector();
}
