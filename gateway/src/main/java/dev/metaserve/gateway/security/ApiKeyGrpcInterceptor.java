package dev.metaserve.gateway.security;

import dev.metaserve.api.generate.TextGenerationGrpc;
import dev.metaserve.api.inference.GRPCInferenceServiceGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Asks for an API key on the KServe and TextGeneration gRPC services, except KServe's liveness and readiness calls. The node
 * protocol is not covered: nodes prove themselves with the join token instead.
 */
@ApplicationScoped
@GlobalInterceptor
public class ApiKeyGrpcInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> OPEN = Set.of(
            GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName(),
            GRPCInferenceServiceGrpc.getServerReadyMethod().getFullMethodName());

    private final ApiKeys keys;

    public ApiKeyGrpcInterceptor(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        boolean guarded = (method.startsWith(GRPCInferenceServiceGrpc.SERVICE_NAME + "/")
                || method.startsWith(TextGenerationGrpc.SERVICE_NAME + "/")) && !OPEN.contains(method);
        if (guarded && !keys.admits(headers.get(AUTHORIZATION))) {
            call.close(Status.UNAUTHENTICATED.withDescription(ApiKeys.MISSING), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
