package dev.metaserve.nodes;

import dev.metaserve.api.node.DeregisterRequest;
import dev.metaserve.api.node.HeartbeatRequest;
import dev.metaserve.api.node.Load;
import dev.metaserve.api.node.NodeRegistryGrpc;
import dev.metaserve.api.node.RegisterRequest;
import dev.metaserve.api.node.RegisterResponse;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Keeps this node's lease with the gateway's NodeRegistry: registers, heartbeats with the current load every
 * heartbeat_interval_ms, registers again when a heartbeat is answered NOT_FOUND, and retries for as long as the node
 * runs when the gateway is away (backoff doubling to a cap) or refuses the join token (slowly, with a warning).
 * Every call runs on the one scheduler thread given, so the lease state needs no locking, and has a deadline.
 */
public final class GatewayRegistration implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayRegistration.class.getName());

    /**
     * @param callDeadline             deadline of each Register and Heartbeat call
     * @param initialBackoff           first wait before registering again after a failure
     * @param maxBackoff               the doubling backoff stops growing here
     * @param rejectedRetry            wait before trying again after the join token was refused
     * @param defaultHeartbeatInterval used when the gateway's answer names no interval
     * @param deregisterDeadline       deadline of the best-effort Deregister on close
     */
    public record Settings(Duration callDeadline, Duration initialBackoff, Duration maxBackoff, Duration rejectedRetry,
                           Duration defaultHeartbeatInterval, Duration deregisterDeadline) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(2),
                    Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1));
        }
    }

    private final Channel channel;
    private final RegisterRequest registration;
    private final Supplier<Load> load;
    private final ScheduledExecutorService scheduler;
    private final Settings settings;

    private volatile boolean closed;
    private volatile String leaseId;
    private volatile long registrations;
    private ScheduledFuture<?> next;
    private Duration backoff;
    private Duration heartbeatInterval;
    private boolean warned;

    /**
     * @param channel      to the gateway's NodeRegistry; the caller owns it
     * @param registration what this node announces (id, address, hardware, models, join token)
     * @param load         read at each heartbeat
     * @param scheduler    a single-threaded scheduler; the caller owns it
     */
    public GatewayRegistration(Channel channel, RegisterRequest registration, Supplier<Load> load,
                               ScheduledExecutorService scheduler, Settings settings) {
        this.channel = channel;
        this.registration = registration;
        this.load = load;
        this.scheduler = scheduler;
        this.settings = settings;
        this.backoff = settings.initialBackoff();
        this.heartbeatInterval = settings.defaultHeartbeatInterval();
    }

    /** Registers in the background and keeps the lease from then on. */
    public void start() {
        scheduler.execute(() -> schedule(this::register, Duration.ZERO));
    }

    /** The lease the gateway granted, while this node holds one. */
    public Optional<String> leaseId() {
        return Optional.ofNullable(leaseId);
    }

    /** Successful Register calls so far. */
    public long registrations() {
        return registrations;
    }

    private NodeRegistryGrpc.NodeRegistryBlockingStub stub(Duration deadline) {
        return NodeRegistryGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void register() {
        if (closed) {
            return;
        }
        try {
            RegisterResponse response = stub(settings.callDeadline()).register(registration);
            leaseId = response.getLeaseId();
            registrations++;
            heartbeatInterval = response.getHeartbeatIntervalMs() > 0
                    ? Duration.ofMillis(response.getHeartbeatIntervalMs()) : settings.defaultHeartbeatInterval();
            backoff = settings.initialBackoff();
            if (warned) {
                LOG.log(Level.WARNING, "node " + registration.getNodeId() + " registered with the gateway again");
                warned = false;
            }
            LOG.log(Level.DEBUG, () -> "node " + registration.getNodeId() + " registered, lease " + leaseId
                    + ", heartbeat every " + heartbeatInterval.toMillis() + " ms");
            schedule(this::heartbeat, heartbeatInterval);
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED) {
                LOG.log(Level.WARNING, "gateway refused node " + registration.getNodeId() + " (" + code + ": "
                        + e.getStatus().getDescription() + "); check --join-token / METASERVE_JOIN_TOKEN. Retrying in "
                        + settings.rejectedRetry().toMillis() + " ms");
                warned = true;
                schedule(this::register, settings.rejectedRetry());
            } else {
                retryRegister("Register failed: " + code + (e.getStatus().getDescription() == null ? ""
                        : " (" + e.getStatus().getDescription() + ")"));
            }
        } catch (RuntimeException e) {
            retryRegister("Register failed: " + e);
        }
    }

    private void retryRegister(String why) {
        warnOnce(why + "; retrying until the gateway answers");
        resetChannelBackoff();
        schedule(this::register, backoff);
        backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        HeartbeatRequest request = HeartbeatRequest.newBuilder()
                .setNodeId(registration.getNodeId())
                .setLeaseId(leaseId == null ? "" : leaseId)
                .setLoad(load.get())
                .build();
        try {
            stub(settings.callDeadline()).heartbeat(request);
            if (warned) {
                LOG.log(Level.WARNING, "node " + registration.getNodeId() + " reaches the gateway again");
                warned = false;
            }
            schedule(this::heartbeat, heartbeatInterval);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                LOG.log(Level.WARNING, "gateway no longer knows lease " + leaseId + " of node "
                        + registration.getNodeId() + "; registering again");
                leaseId = null;
                backoff = settings.initialBackoff();
                schedule(this::register, Duration.ZERO);
            } else {
                warnOnce("Heartbeat failed: " + e.getStatus().getCode() + "; still trying");
                resetChannelBackoff();
                schedule(this::heartbeat, heartbeatInterval);
            }
        } catch (RuntimeException e) {
            warnOnce("Heartbeat failed: " + e + "; still trying");
            resetChannelBackoff();
            schedule(this::heartbeat, heartbeatInterval);
        }
    }

    /** Our schedule decides when to call; the channel's own reconnect backoff (up to minutes) must not delay it. */
    private void resetChannelBackoff() {
        if (channel instanceof ManagedChannel managed) {
            managed.resetConnectBackoff();
        }
    }

    private void warnOnce(String message) {
        if (!warned) {
            LOG.log(Level.WARNING, "node " + registration.getNodeId() + ": " + message);
            warned = true;
        } else {
            LOG.log(Level.DEBUG, () -> "node " + registration.getNodeId() + ": " + message);
        }
    }

    private void schedule(Runnable task, Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the scheduler was shut down under us: the node is stopping
        }
    }

    /**
     * Stops heartbeating and deregisters, best effort. Runs on the scheduler thread after any call in progress, so no
     * Register can land after the Deregister.
     */
    @Override
    public void close() {
        closed = true;
        try {
            scheduler.submit(this::deregister)
                    .get(settings.callDeadline().plus(settings.deregisterDeadline()).toMillis() + 500,
                            TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.log(Level.DEBUG, () -> "deregistering node " + registration.getNodeId() + " did not finish: " + e);
        }
    }

    private void deregister() {
        if (next != null) {
            next.cancel(false);
        }
        String lease = leaseId;
        if (lease == null) {
            return;
        }
        try {
            stub(settings.deregisterDeadline()).deregister(DeregisterRequest.newBuilder()
                    .setNodeId(registration.getNodeId()).setLeaseId(lease).build());
            LOG.log(Level.DEBUG, () -> "node " + registration.getNodeId() + " deregistered");
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "deregistering node " + registration.getNodeId() + " failed: " + e);
        }
        leaseId = null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
