package dev.metaserve.nodes;

import dev.metaserve.api.node.DeregisterRequest;
import dev.metaserve.api.node.DeregisterResponse;
import dev.metaserve.api.node.HeartbeatRequest;
import dev.metaserve.api.node.HeartbeatResponse;
import dev.metaserve.api.node.NodeRegistryGrpc;
import dev.metaserve.api.node.RegisterRequest;
import dev.metaserve.api.node.RegisterResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A gateway's NodeRegistry that records what it is sent; it can forget leases and check a join token. */
final class FakeRegistry extends NodeRegistryGrpc.NodeRegistryImplBase {
    final List<RegisterRequest> registers = new CopyOnWriteArrayList<>();
    final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
    final List<DeregisterRequest> deregisters = new CopyOnWriteArrayList<>();
    final AtomicInteger refusedRegisters = new AtomicInteger();

    private final Set<String> leases = ConcurrentHashMap.newKeySet();
    private final AtomicInteger leaseNumber = new AtomicInteger();
    private final long heartbeatIntervalMs;
    volatile String requiredToken;

    FakeRegistry(long heartbeatIntervalMs) {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
    }

    /** As if the gateway restarted: every lease is unknown from now on. */
    void forgetLeases() {
        leases.clear();
    }

    List<HeartbeatRequest> heartbeatsFor(String lease) {
        return heartbeats.stream().filter(h -> h.getLeaseId().equals(lease)).toList();
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> observer) {
        String token = requiredToken;
        if (token != null && !token.equals(request.getJoinToken())) {
            refusedRegisters.incrementAndGet();
            observer.onError(Status.PERMISSION_DENIED.withDescription("bad join token").asRuntimeException());
            return;
        }
        registers.add(request);
        String lease = "lease-" + leaseNumber.incrementAndGet();
        leases.add(lease);
        observer.onNext(RegisterResponse.newBuilder().setLeaseId(lease).setHeartbeatIntervalMs(heartbeatIntervalMs)
                .setLeaseTtlMs(heartbeatIntervalMs * 3).build());
        observer.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> observer) {
        heartbeats.add(request);
        if (!leases.contains(request.getLeaseId())) {
            observer.onError(Status.NOT_FOUND.withDescription("unknown lease " + request.getLeaseId())
                    .asRuntimeException());
            return;
        }
        observer.onNext(HeartbeatResponse.newBuilder().setLeaseTtlMs(heartbeatIntervalMs * 3).build());
        observer.onCompleted();
    }

    @Override
    public void deregister(DeregisterRequest request, StreamObserver<DeregisterResponse> observer) {
        deregisters.add(request);
        leases.remove(request.getLeaseId());
        observer.onNext(DeregisterResponse.getDefaultInstance());
        observer.onCompleted();
    }
}
