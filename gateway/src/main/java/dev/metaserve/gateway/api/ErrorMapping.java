package dev.metaserve.gateway.api;

import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.ModelNotFoundException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.WebApplicationException;
import java.util.concurrent.CompletionException;

/** The one place where failures become HTTP and gRPC status codes, so both protocols agree. */
public final class ErrorMapping {
    private ErrorMapping() {}

    public static int httpStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof InvalidRequestException) {
            return 400;
        }
        if (t instanceof ModelNotFoundException) {
            return 404;
        }
        if (t instanceof NoNodeAvailableException) {
            return 503;
        }
        if (t instanceof WebApplicationException web) {
            return web.getResponse().getStatus();
        }
        Status status = grpcStatusOrNull(t);
        if (status != null) {
            return switch (status.getCode()) {
                case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> 400;
                case UNAUTHENTICATED -> 401;
                case PERMISSION_DENIED -> 403;
                case NOT_FOUND -> 404;
                case RESOURCE_EXHAUSTED -> 429;
                case UNAVAILABLE, CANCELLED -> 503;
                case DEADLINE_EXCEEDED -> 504;
                default -> 500;
            };
        }
        return 500;
    }

    public static Status grpcStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof InvalidRequestException) {
            return Status.INVALID_ARGUMENT.withDescription(t.getMessage());
        }
        if (t instanceof ModelNotFoundException) {
            return Status.NOT_FOUND.withDescription(t.getMessage());
        }
        if (t instanceof NoNodeAvailableException) {
            return Status.UNAVAILABLE.withDescription(t.getMessage());
        }
        Status status = grpcStatusOrNull(t);
        if (status != null) {
            return status;
        }
        return Status.INTERNAL.withDescription(message(t));
    }

    /** The text for the client: the failure's own message, or its kind when it has none. */
    public static String message(Throwable failure) {
        Throwable t = unwrap(failure);
        Status status = grpcStatusOrNull(t);
        if (status != null) {
            return status.getDescription() != null ? status.getDescription() : status.getCode().toString();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static Status grpcStatusOrNull(Throwable t) {
        if (t instanceof StatusRuntimeException e) {
            return e.getStatus();
        }
        if (t instanceof StatusException e) {
            return e.getStatus();
        }
        return null;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
