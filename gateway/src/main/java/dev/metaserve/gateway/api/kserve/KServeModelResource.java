package dev.metaserve.gateway.api.kserve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.metaserve.gateway.api.ErrorMapping;
import dev.metaserve.gateway.api.JsonBodies;
import dev.metaserve.gateway.routing.InferenceRouter;
import dev.metaserve.gateway.telemetry.GatewayMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** v2 model metadata, readiness and inference over REST. */
@Path("/v2/models/{model}")
@Produces(MediaType.APPLICATION_JSON)
public class KServeModelResource {
    private final InferenceRouter router;
    private final GatewayMetrics metrics;
    private final ObjectMapper mapper;

    public KServeModelResource(InferenceRouter router, GatewayMetrics metrics, ObjectMapper mapper) {
        this.router = router;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    @GET
    public ObjectNode metadata(@PathParam("model") String model) {
        return InferJson.metadata(router.model(model).getMetadata());
    }

    /** 200 when a live node serves the model; 404 (with the reason) otherwise, as v2 has "a 4xx" mean false. */
    @GET
    @Path("/ready")
    public ModelReady ready(@PathParam("model") String model) {
        router.model(model);
        return new ModelReady(model, true);
    }

    @POST
    @Path("/infer")
    @Consumes(MediaType.WILDCARD)
    public Uni<ObjectNode> infer(@PathParam("model") String model, byte[] body) {
        return metrics.timed("v2.rest.infer", model, "200", t -> Integer.toString(ErrorMapping.httpStatus(t)),
                Uni.createFrom().deferred(() -> router.infer(InferJson.request(model, JsonBodies.parse(mapper, body)), null))
                        .map(InferJson::response));
    }

    public record ModelReady(String name, boolean ready) {}
}
