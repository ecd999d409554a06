package dev.metaserve.gateway.routing;

import dev.metaserve.api.node.Hardware;
import dev.metaserve.api.node.Load;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.api.node.NodeInferenceGrpc;
import io.grpc.ManagedChannel;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node that holds a lease: what it serves, how loaded it is, and the channel to reach it.
 * The lease expiry and reported load change with every heartbeat; the rest is fixed at registration.
 */
public final class RegisteredNode {
    private final String id;
    private final String leaseId;
    private final String address;
    private final Hardware hardware;
    private final Map<String, ModelDescriptor> models;
    private final ManagedChannel channel;
    private final NodeInferenceGrpc.NodeInferenceStub stub;
    private final Instant registeredAt;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final NodeBacklog backlog = new NodeBacklog();
    private final SharedHost host;
    private final SharedHost.NodeUse use;
    private final AtomicLong dispatched = new AtomicLong();
    private volatile Load reportedLoad = Load.getDefaultInstance();
    private volatile Instant leaseExpiry;

    /** @param host the machine the node shares with the other nodes on it (its own when it reports none) */
    RegisteredNode(String id, String leaseId, String address, Hardware hardware, Map<String, ModelDescriptor> models,
                   ManagedChannel channel, Instant registeredAt, Instant leaseExpiry, SharedHost host) {
        this.id = id;
        this.leaseId = leaseId;
        this.address = address;
        this.hardware = hardware;
        this.models = Map.copyOf(models);
        this.channel = channel;
        this.stub = NodeInferenceGrpc.newStub(channel);
        this.registeredAt = registeredAt;
        this.leaseExpiry = leaseExpiry;
        this.host = host;
        this.use = new SharedHost.NodeUse(hardware.getIntraOpThreads(), hardware.getCpuCores());
        host.admit(hardware.getCpuCores());
    }

    public String id() {
        return id;
    }

    public String leaseId() {
        return leaseId;
    }

    public String address() {
        return address;
    }

    public Hardware hardware() {
        return hardware;
    }

    public Map<String, ModelDescriptor> models() {
        return models;
    }

    public Instant registeredAt() {
        return registeredAt;
    }

    public Load reportedLoad() {
        return reportedLoad;
    }

    public Instant leaseExpiry() {
        return leaseExpiry;
    }

    public int inFlight() {
        return inFlight.get();
    }

    long dispatched() {
        return dispatched.get();
    }

    NodeInferenceGrpc.NodeInferenceStub stub() {
        return stub;
    }

    /**
     * How busy the node is now: the calls this gateway has open to it, plus what the node last said
     * was waiting in its queue (which includes other gateways' work).
     */
    int loadScore() {
        return inFlight.get() + reportedLoad.getQueueDepth();
    }

    void renew(Load load, Instant expiry) {
        this.reportedLoad = load;
        this.leaseExpiry = expiry;
    }

    /**
     * @param expectedMs what the call is expected to take on an idle node (NaN: unknown), for the backlog
     * @return the backlog slot to hand to {@link #callEnded}
     */
    int callStarted(double expectedMs) {
        int open = inFlight.incrementAndGet();
        host.callsChanged(use, open - 1, open);
        dispatched.incrementAndGet();
        return backlog.enter(expectedMs);
    }

    void callEnded(int backlogSlot) {
        int open = inFlight.decrementAndGet();
        host.callsChanged(use, open + 1, open);
        backlog.leave(backlogSlot);
    }

    /**
     * The processor-sharing load factor of a request expected to take {@code expectedMs} on this node when idle (see
     * {@link NodeBacklog}), the node's reported queue counted as calls of unknown length.
     */
    public double backlogFactor(double expectedMs) {
        return backlog.factor(expectedMs, reportedLoad.getQueueDepth());
    }

    public SharedHost host() {
        return host;
    }

    /**
     * How much the work of the other nodes on the node's machine slows one more call to it (see {@link SharedHost}): 1
     * while the machine has a core free for each thread.
     */
    public double hostFactor() {
        return host.factor(use, inFlight.get());
    }

    /**
     * Takes no new calls on the node's channel; the calls open (a generation may stream for minutes) go on to their
     * end, after which the channel closes by itself. Never blocks.
     */
    void shutdown() {
        channel.shutdown();
    }

    /** Waits up to {@code nanos} for the calls still open to end; true when none is left. */
    boolean awaitTermination(long nanos) throws InterruptedException {
        return channel.awaitTermination(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Cancels the calls still open and closes the channel. */
    void closeNow() {
        channel.shutdownNow();
    }
}
