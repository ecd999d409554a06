package dev.metaserve.gateway.api.openai;

import dev.metaserve.gateway.routing.NodeRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /v1/models}: every model some live node serves. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiModelsResource {
    private final NodeRegistry registry;

    public OpenAiModelsResource(NodeRegistry registry) {
        this.registry = registry;
    }

    @GET
    public ModelList list() {
        List<ModelCard> cards = registry.modelsAvailableSince().entrySet().stream()
                .map(e -> new ModelCard(e.getKey(), "model", e.getValue().getEpochSecond(), "metaserve"))
                .toList();
        return new ModelList("list", cards);
    }

    public record ModelList(String object, List<ModelCard> data) {}

    public record ModelCard(String id, String object, long created, String owned_by) {}
}
