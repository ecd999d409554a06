package dev.metaserve.gateway.api.generate;

import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.generate.TextGenerationGrpc;
import dev.metaserve.gateway.api.ErrorMapping;
import dev.metaserve.gateway.routing.GenerationRouter;
import dev.metaserve.gateway.telemetry.GatewayMetrics;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code metaserve.generate.v1.TextGeneration/Generate}: the node's chunks passed on as they come. Refusals before the
 * first chunk (bad parameters, unknown model, no node) fail the call with their status; a cancelled call cancels the
 * node's job.
 */
@GrpcService
public class TextGenerationGrpcService extends TextGenerationGrpc.TextGenerationImplBase {
    private final GenerationRouter router;
    private final GatewayMetrics metrics;

    public TextGenerationGrpcService(GenerationRouter router, GatewayMetrics metrics) {
        this.router = router;
        this.metrics = metrics;
    }

    @Override
    public void generate(GenerateRequest request, StreamObserver<GenerateResponse> response) {
        ServerCallStreamObserver<GenerateResponse> call = (ServerCallStreamObserver<GenerateResponse>) response;
        AtomicReference<Cancellable> subscription = new AtomicReference<>();
        // set before anything is sent: with a handler, sending on a cancelled call is a no-op, not an exception
        call.setOnCancelHandler(() -> {
            Cancellable running = subscription.get();
            if (running != null) {
                running.cancel();
            }
        });
        subscription.set(metrics.timedStream("grpc.generate", request.getModel(), "OK",
                        t -> ErrorMapping.grpcStatus(t).getCode().name(), "CANCELLED",
                        router.generate(request, Context.current().getDeadline()))
                .subscribe().with(
                        response::onNext,
                        failure -> response.onError(ErrorMapping.grpcStatus(failure).asRuntimeException()),
                        response::onCompleted));
        if (call.isCancelled()) {
            subscription.get().cancel();
        }
    }
}
