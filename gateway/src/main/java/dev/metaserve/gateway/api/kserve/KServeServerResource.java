package dev.metaserve.gateway.api.kserve;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** v2 server metadata. */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class KServeServerResource {
    public static final String SERVER_NAME = "metaserve";
    public static final String SERVER_VERSION = "0.1.0";

    @GET
    public ServerMetadata metadata() {
        return new ServerMetadata(SERVER_NAME, SERVER_VERSION, List.of());
    }

    public record ServerMetadata(String name, String version, List<String> extensions) {}
}
