package dev.metaserve.gateway.api.kserve;

import dev.metaserve.api.inference.GRPCInferenceServiceGrpc;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.inference.ModelMetadataRequest;
import dev.metaserve.api.inference.ModelMetadataResponse;
import dev.metaserve.api.inference.ModelReadyRequest;
import dev.metaserve.api.inference.ModelReadyResponse;
import dev.metaserve.api.inference.ServerLiveRequest;
import dev.metaserve.api.inference.ServerLiveResponse;
import dev.metaserve.api.inference.ServerMetadataRequest;
import dev.metaserve.api.inference.ServerMetadataResponse;
import dev.metaserve.api.inference.ServerReadyRequest;
import dev.metaserve.api.inference.ServerReadyResponse;
import dev.metaserve.gateway.api.ErrorMapping;
import dev.metaserve.gateway.api.GrpcResponses;
import dev.metaserve.gateway.routing.InferenceRouter;
import dev.metaserve.gateway.routing.NodeRegistry;
import dev.metaserve.gateway.telemetry.GatewayMetrics;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** The KServe v2 gRPC inference service (GRPCInferenceService) in front of the nodes. */
@GrpcService
public class KServeGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final InferenceRouter router;
    private final NodeRegistry registry;
    private final GatewayMetrics metrics;

    public KServeGrpcService(InferenceRouter router, NodeRegistry registry, GatewayMetrics metrics) {
        this.router = router;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> response) {
        GrpcResponses.reply(() -> Uni.createFrom().item(ServerLiveResponse.newBuilder().setLive(true).build()), response);
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
        GrpcResponses.reply(() -> Uni.createFrom().item(
                ServerReadyResponse.newBuilder().setReady(registry.liveCount() > 0).build()), response);
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
        GrpcResponses.reply(() -> {
            router.model(request.getName());
            return Uni.createFrom().item(ModelReadyResponse.newBuilder().setReady(true).build());
        }, response);
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> response) {
        GrpcResponses.reply(() -> Uni.createFrom().item(ServerMetadataResponse.newBuilder()
                .setName(KServeServerResource.SERVER_NAME)
                .setVersion(KServeServerResource.SERVER_VERSION)
                .build()), response);
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> response) {
        GrpcResponses.reply(() -> Uni.createFrom().item(router.model(request.getName()).getMetadata()), response);
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
        var callerDeadline = Context.current().getDeadline();
        GrpcResponses.reply(() -> metrics.timed("v2.grpc.infer", request.getModelName(), "OK",
                t -> ErrorMapping.grpcStatus(t).getCode().name(), router.infer(request, callerDeadline)), response);
    }
}
