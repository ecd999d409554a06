package dev.metaserve.gateway.security;

import dev.metaserve.gateway.api.ErrorBody;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Asks for an API key on inference and admin paths; v2 health stays open, as do /q/health and /q/metrics. */
public class ApiKeyRestFilter {
    private final ApiKeys keys;

    public ApiKeyRestFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter
    public Response requireKey(ContainerRequestContext request) {
        if (!keys.required() || isOpen(request.getUriInfo().getPath())) {
            return null;
        }
        if (keys.admits(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return null;
        }
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(ApiKeys.MISSING))
                .build();
    }

    static boolean isOpen(String path) {
        return path.startsWith("/v2/health/") || path.startsWith("/q/");
    }
}
