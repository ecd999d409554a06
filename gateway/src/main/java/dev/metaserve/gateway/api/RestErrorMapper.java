package dev.metaserve.gateway.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure of a REST call leaves as {@code {"error": "..."}} with the status ErrorMapping gives it. */
public class RestErrorMapper {
    private static final Logger LOG = Logger.getLogger(RestErrorMapper.class);

    @ServerExceptionMapper(Throwable.class)
    public Response toResponse(Throwable failure) {
        int status = ErrorMapping.httpStatus(failure);
        if (status >= 500 && status != 503) {
            LOG.warn("request failed", failure);
        }
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(ErrorMapping.message(failure)))
                .build();
    }
}
