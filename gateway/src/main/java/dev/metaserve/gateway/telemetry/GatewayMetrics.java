package dev.metaserve.gateway.telemetry;

import dev.metaserve.gateway.routing.NodeRegistry;
import dev.metaserve.gateway.routing.RegisteredNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Request count and latency by endpoint, model and status; live nodes; per-node in-flight calls and
 * reported queue depth. Model names come from clients, so a name no node serves is tagged "unknown"
 * to keep the tag's values few.
 */
@Startup
@ApplicationScoped
public class GatewayMetrics implements NodeRegistry.Listener {
    private final MeterRegistry meters;
    private final NodeRegistry nodes;
    private final Map<String, List<Meter>> nodeMeters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry meters, NodeRegistry nodes) {
        this.meters = meters;
        this.nodes = nodes;
        Gauge.builder("gateway.nodes.live", nodes, NodeRegistry::liveCount)
                .description("Nodes holding a lease")
                .baseUnit("nodes")
                .register(meters);
        nodes.addListener(this);
    }

    /** Times the work and counts it under its outcome; {@code statusOf} names the status of a failure. */
    public <T> Uni<T> timed(String endpoint, String model, String okStatus, Function<Throwable, String> statusOf,
                            Uni<T> work) {
        String modelTag = nodes.model(model).isPresent() ? model : "unknown";
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return work.onItemOrFailure().invoke((item, failure) -> Timer.builder("gateway.requests")
                    .description("Inference requests through the gateway")
                    .tags("endpoint", endpoint, "model", modelTag,
                            "status", failure == null ? okStatus : statusOf.apply(failure))
                    .publishPercentileHistogram()
                    .register(meters)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
        });
    }

    @Override
    public void joined(RegisteredNode node) {
        List<Meter> registered = List.of(
                Gauge.builder("gateway.node.in.flight", node, RegisteredNode::inFlight)
                        .description("Calls this gateway has open to the node")
                        .tag("node", node.id())
                        .register(meters),
                Gauge.builder("gateway.node.queue.depth", node, n -> n.reportedLoad().getQueueDepth())
                        .description("Requests waiting on the node, as its last heartbeat said")
                        .tag("node", node.id())
                        .register(meters));
        // The registry announces a node's earlier lease as left before the new one joins, so these are fresh.
        nodeMeters.put(node.id(), registered);
    }

    @Override
    public void left(RegisteredNode node, String why) {
        List<Meter> registered = nodeMeters.remove(node.id());
        if (registered != null) {
            registered.forEach(meters::remove);
        }
    }
}
