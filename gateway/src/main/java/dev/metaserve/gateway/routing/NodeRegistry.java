package dev.metaserve.gateway.routing;

import dev.metaserve.api.inference.ModelMetadataResponse;
import dev.metaserve.api.node.Load;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.api.node.RegisterRequest;
import dev.metaserve.gateway.config.GatewayConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The nodes that hold a lease, and what they serve. A node joins by registering, stays by
 * heartbeating within the lease, and leaves by deregistering, by missing its heartbeats, or by
 * failing a call (it registers again if it is in fact alive).
 */
@ApplicationScoped
public class NodeRegistry {
    private static final Logger LOG = Logger.getLogger(NodeRegistry.class);

    /** Told when a node joins or leaves, e.g. to add or drop its metrics. */
    public interface Listener {
        void joined(RegisteredNode node);

        void left(RegisteredNode node, String why);
    }

    /** How long the gateway waits at stop for the calls still open to end before cancelling them. */
    static final Duration STOP_GRACE = Duration.ofSeconds(1);

    private final Map<String, RegisteredNode> nodes = new ConcurrentHashMap<>();
    private final Map<String, SharedHost> hosts = new ConcurrentHashMap<>();
    /** Nodes that have left while calls to them may still be open, until their channel is force-closed. */
    private final Set<RegisteredNode> leaving = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final GatewayConfig config;
    private final Clock clock;
    /** Force-closes the channels of nodes that left, once no call on them can still be within its deadline. */
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "node-channel-closer");
        thread.setDaemon(true);
        return thread;
    });

    public NodeRegistry(GatewayConfig config) {
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Admits a node (replacing an earlier lease of the same id) and returns its new lease id. */
    public RegisteredNode register(RegisterRequest request) {
        Map<String, ModelDescriptor> models = request.getModelsList().stream()
                .collect(Collectors.toMap(m -> m.getMetadata().getName(), Function.identity(), (a, b) -> a));
        // Node answers only complete a Uni, which never blocks: running that on the transport thread
        // saves a hand-off to another thread on every request.
        ManagedChannel channel = NettyChannelBuilder.forTarget(request.getAddress())
                .directExecutor()
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        Instant now = clock.instant();
        RegisteredNode node = new RegisteredNode(request.getNodeId(), UUID.randomUUID().toString(),
                request.getAddress(), request.getHardware(), models, channel, now, now.plus(config.leaseTtl()),
                hostOf(request));
        RegisteredNode previous = nodes.put(node.id(), node);
        if (previous != null) {
            announceLeft(previous, "registered again");
        }
        LOG.infof("node %s joined from %s serving %s", node.id(), node.address(), models.keySet());
        listeners.forEach(l -> l.joined(node));
        return node;
    }

    /**
     * The machine a registering node runs on: one {@link SharedHost} per host name reported, kept while the gateway
     * runs (a node that registers again finds its calls still counted there); a node that reports none is alone.
     */
    private SharedHost hostOf(RegisterRequest request) {
        String name = request.getHardware().getHost();
        if (name.isEmpty()) {
            return new SharedHost("(" + request.getNodeId() + ")");
        }
        return hosts.computeIfAbsent(name, SharedHost::new);
    }

    /** Extends a lease; empty when the gateway does not know that lease (the node must register again). */
    public Optional<RegisteredNode> heartbeat(String nodeId, String leaseId, Load load) {
        RegisteredNode node = nodes.get(nodeId);
        if (node == null || !node.leaseId().equals(leaseId)) {
            return Optional.empty();
        }
        node.renew(load, clock.instant().plus(config.leaseTtl()));
        return Optional.of(node);
    }

    public void deregister(String nodeId, String leaseId) {
        RegisteredNode node = nodes.get(nodeId);
        if (node != null && node.leaseId().equals(leaseId) && nodes.remove(nodeId, node)) {
            announceLeft(node, "deregistered");
        }
    }

    /** Drops a node that failed a call; if it is alive its next heartbeat is refused and it registers again. */
    public void evict(RegisteredNode node, String why) {
        if (nodes.remove(node.id(), node)) {
            announceLeft(node, why);
        }
    }

    @Scheduled(every = "${gateway.lease-sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dropExpiredLeases() {
        Instant now = clock.instant();
        for (RegisteredNode node : nodes.values()) {
            if (node.leaseExpiry().isBefore(now) && nodes.remove(node.id(), node)) {
                announceLeft(node, "missed its heartbeats");
            }
        }
    }

    public Collection<RegisteredNode> nodes() {
        return List.copyOf(nodes.values());
    }

    public int liveCount() {
        return nodes.size();
    }

    /** The v2 metadata of a model as some live node describes it. */
    public Optional<ModelDescriptor> model(String name) {
        return nodes.values().stream()
                .map(n -> n.models().get(name))
                .filter(m -> m != null)
                .findFirst();
    }

    /** Every model some live node serves, with the time it first became available. */
    public Map<String, Instant> modelsAvailableSince() {
        Map<String, Instant> out = new java.util.TreeMap<>();
        for (RegisteredNode node : nodes.values()) {
            for (String model : node.models().keySet()) {
                out.merge(model, node.registeredAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return out;
    }

    public List<ModelMetadataResponse> modelMetadata() {
        return modelsAvailableSince().keySet().stream().map(m -> model(m).orElseThrow().getMetadata()).toList();
    }

    /**
     * The least-loaded live node serving the model, not among those already tried. Ties go to the node
     * that has been sent the fewest requests, so equal nodes take turns.
     */
    public Optional<RegisteredNode> leastLoaded(String model, Set<String> excludedNodeIds) {
        return nodes.values().stream()
                .filter(n -> n.models().containsKey(model) && !excludedNodeIds.contains(n.id()))
                .min(Comparator.comparingInt(RegisteredNode::loadScore).thenComparingLong(RegisteredNode::dispatched));
    }

    /**
     * Tells the listeners, and lets the calls still open to the node end: a generation stream must not be cut because
     * its node deregistered. Its channel takes no new call, and is force-closed once every call on it is past its
     * deadline. Never blocks: it runs on gRPC event loops (Deregister, a failed call's eviction).
     */
    private void announceLeft(RegisteredNode node, String why) {
        LOG.infof("node %s left: %s", node.id(), why);
        listeners.forEach(l -> l.left(node, why));
        leaving.add(node);
        node.shutdown();
        try {
            closer.schedule(() -> {
                leaving.remove(node);
                node.closeNow();
            }, longestCall().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // the gateway is stopping
            leaving.remove(node);
            node.closeNow();
        }
    }

    /** The longest a node call may last: every call carries a deadline no later than this after it began. */
    private Duration longestCall() {
        Duration generation = config.generationTimeout();
        Duration infer = config.nodeCallTimeout();
        return generation.compareTo(infer) >= 0 ? generation : infer;
    }

    /**
     * Gateway stop: no new call to any node, {@link #STOP_GRACE} in all (not per node) for the calls open to end, then
     * those left are cancelled.
     */
    @PreDestroy
    void closeAll() {
        closer.shutdownNow(); // forced closes not yet due are done here
        List<RegisteredNode> all = new ArrayList<>(nodes.values());
        all.addAll(leaving);
        nodes.clear();
        leaving.clear();
        all.forEach(RegisteredNode::shutdown);
        long end = System.nanoTime() + STOP_GRACE.toNanos();
        try {
            for (RegisteredNode node : all) {
                node.awaitTermination(end - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            all.forEach(RegisteredNode::closeNow);
        }
    }
}
