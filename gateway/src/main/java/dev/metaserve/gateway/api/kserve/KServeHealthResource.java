package dev.metaserve.gateway.api.kserve;

import dev.metaserve.gateway.api.ErrorBody;
import dev.metaserve.gateway.routing.NodeRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** v2 server health: live while the process runs, ready while at least one node holds a lease. */
@Path("/v2/health")
@Produces(MediaType.APPLICATION_JSON)
public class KServeHealthResource {
    private final NodeRegistry registry;

    public KServeHealthResource(NodeRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Path("/live")
    public Response live() {
        return Response.ok(new Health(true)).build();
    }

    @GET
    @Path("/ready")
    public Response ready() {
        if (registry.liveCount() == 0) {
            return Response.status(503).entity(new ErrorBody("no node has registered yet")).build();
        }
        return Response.ok(new Health(true)).build();
    }

    record Health(boolean ok) {}
}
