package dev.metaserve.gateway.api;

import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/** Completes a unary gRPC call from a Uni, turning any failure into a described Status. */
public final class GrpcResponses {
    private GrpcResponses() {}

    public static <T> void reply(Supplier<Uni<? extends T>> work, StreamObserver<T> observer) {
        Uni.createFrom().<T>deferred(work).subscribe().with(
                value -> {
                    observer.onNext(value);
                    observer.onCompleted();
                },
                failure -> observer.onError(ErrorMapping.grpcStatus(failure).asRuntimeException()));
    }
}
