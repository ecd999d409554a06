package dev.metaserve.gateway.routing;

import dev.metaserve.api.node.DeregisterRequest;
import dev.metaserve.api.node.DeregisterResponse;
import dev.metaserve.api.node.HeartbeatRequest;
import dev.metaserve.api.node.HeartbeatResponse;
import dev.metaserve.api.node.NodeRegistryGrpc;
import dev.metaserve.api.node.RegisterRequest;
import dev.metaserve.api.node.RegisterResponse;
import dev.metaserve.gateway.config.GatewayConfig;
import dev.metaserve.gateway.security.Secrets;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import org.jboss.logging.Logger;

/** The node protocol's gateway side: nodes join with the join token and keep their lease with heartbeats. */
@GrpcService
public class NodeRegistryService extends NodeRegistryGrpc.NodeRegistryImplBase {
    private static final Logger LOG = Logger.getLogger(NodeRegistryService.class);

    private final NodeRegistry registry;
    private final GatewayConfig config;

    public NodeRegistryService(NodeRegistry registry, GatewayConfig config) {
        this.registry = registry;
        this.config = config;
    }

    void warnIfOpen(@Observes StartupEvent event) {
        if (config.joinToken().isEmpty()) {
            LOG.warn("gateway.join-token is not set: any node that can reach the gRPC port may join");
        }
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        if (config.joinToken().isPresent() && !Secrets.equal(config.joinToken().get(), request.getJoinToken())) {
            response.onError(Status.PERMISSION_DENIED
                    .withDescription("join token refused for node '" + request.getNodeId() + "'").asRuntimeException());
            return;
        }
        String problem = registrationProblem(request);
        if (problem != null) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        RegisteredNode node = registry.register(request);
        response.onNext(RegisterResponse.newBuilder()
                .setLeaseId(node.leaseId())
                .setHeartbeatIntervalMs(config.heartbeatInterval().toMillis())
                .setLeaseTtlMs(config.leaseTtl().toMillis())
                .build());
        response.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        if (registry.heartbeat(request.getNodeId(), request.getLeaseId(), request.getLoad()).isEmpty()) {
            response.onError(Status.NOT_FOUND
                    .withDescription("no lease '" + request.getLeaseId() + "' for node '" + request.getNodeId()
                            + "'; register again")
                    .asRuntimeException());
            return;
        }
        response.onNext(HeartbeatResponse.newBuilder().setLeaseTtlMs(config.leaseTtl().toMillis()).build());
        response.onCompleted();
    }

    @Override
    public void deregister(DeregisterRequest request, StreamObserver<DeregisterResponse> response) {
        registry.deregister(request.getNodeId(), request.getLeaseId());
        response.onNext(DeregisterResponse.getDefaultInstance());
        response.onCompleted();
    }

    private static String registrationProblem(RegisterRequest request) {
        if (request.getNodeId().isBlank()) {
            return "node_id is empty";
        }
        if (request.getModelsCount() == 0) {
            return "node '" + request.getNodeId() + "' serves no model";
        }
        try {
            URI uri = URI.create("grpc://" + request.getAddress());
            if (uri.getHost() == null || uri.getPort() <= 0) {
                return "address '" + request.getAddress() + "' is not host:port";
            }
        } catch (IllegalArgumentException e) {
            return "address '" + request.getAddress() + "' is not host:port";
        }
        return null;
    }
}
