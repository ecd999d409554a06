package dev.metaserve.bench.sweep;

import dev.metaserve.api.node.DeregisterRequest;
import dev.metaserve.api.node.DeregisterResponse;
import dev.metaserve.api.node.HeartbeatRequest;
import dev.metaserve.api.node.HeartbeatResponse;
import dev.metaserve.api.node.NodeRegistryGrpc;
import dev.metaserve.api.node.RegisterRequest;
import dev.metaserve.api.node.RegisterResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sweep's stand-in for a gateway's NodeRegistry, on loopback: the sweep calls its nodes directly, but lets them
 * register here so that each node's own descriptor (threads, cores, heap, injected delay, CPU model) is what the sweep
 * checks and records. Leases are given and never expire; nothing is routed.
 */
final class DescriptorRegistry extends NodeRegistryGrpc.NodeRegistryImplBase implements AutoCloseable {
    private static final long HEARTBEAT_INTERVAL_MS = 5_000;

    private final Map<String, CompletableFuture<RegisterRequest>> registrations = new ConcurrentHashMap<>();
    private final String joinToken;
    private Server server;

    private DescriptorRegistry(String joinToken) {
        this.joinToken = joinToken;
    }

    static DescriptorRegistry start() throws IOException {
        DescriptorRegistry registry = new DescriptorRegistry("sweep-" + Long.toHexString(System.nanoTime()));
        registry.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(registry).build().start();
        return registry;
    }

    String target() {
        return "127.0.0.1:" + server.getPort();
    }

    String joinToken() {
        return joinToken;
    }

    /** The registration of this node, waiting for it up to {@code timeout}. */
    RegisterRequest await(String nodeId, Duration timeout) throws IOException, InterruptedException {
        try {
            return future(nodeId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("node " + nodeId + " did not register with the sweep in " + timeout);
        } catch (ExecutionException e) {
            throw new IOException("registration of node " + nodeId + " failed", e.getCause());
        }
    }

    /** Forgets a node, so that a node started again under its id is awaited afresh. */
    void forget(String nodeId) {
        registrations.remove(nodeId);
    }

    private CompletableFuture<RegisterRequest> future(String nodeId) {
        return registrations.computeIfAbsent(nodeId, id -> new CompletableFuture<>());
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> observer) {
        if (!joinToken.equals(request.getJoinToken())) {
            observer.onError(Status.PERMISSION_DENIED.withDescription("not a node of this sweep").asRuntimeException());
            return;
        }
        future(request.getNodeId()).complete(request);
        observer.onNext(RegisterResponse.newBuilder()
                .setLeaseId("sweep-lease-" + request.getNodeId())
                .setHeartbeatIntervalMs(HEARTBEAT_INTERVAL_MS)
                .setLeaseTtlMs(HEARTBEAT_INTERVAL_MS * 3)
                .build());
        observer.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> observer) {
        observer.onNext(HeartbeatResponse.newBuilder().setLeaseTtlMs(HEARTBEAT_INTERVAL_MS * 3).build());
        observer.onCompleted();
    }

    @Override
    public void deregister(DeregisterRequest request, StreamObserver<DeregisterResponse> observer) {
        observer.onNext(DeregisterResponse.getDefaultInstance());
        observer.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
