package dev.metaserve.gateway.api.admin;

import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.gateway.config.GatewayConfig;
import dev.metaserve.gateway.selection.LiveHistory;
import dev.metaserve.gateway.selection.PlanSelector;
import dev.metaserve.gateway.selection.ServedModel;
import dev.metaserve.selector.model.ModelHeader;
import dev.metaserve.selector.online.PolicySnapshot;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /admin/selector}: the model in service, the decisions per plan and node, the policy's recent regret
 * estimates per task class, and the history store. {@code POST /admin/selector/reload}: load the configured model file
 * now (200 when it is in service; 422 with why when refused, and the current model keeps serving).
 */
@Path("/admin/selector")
@Produces(MediaType.APPLICATION_JSON)
public class SelectorResource {
    private final PlanSelector selector;
    private final LiveHistory history;
    private final GatewayConfig config;

    public SelectorResource(PlanSelector selector, LiveHistory history, GatewayConfig config) {
        this.selector = selector;
        this.history = history;
        this.config = config;
    }

    @GET
    public SelectorView status() {
        ServedModel served = selector.served();
        ModelHeader header = served.model().header();
        return new SelectorView(selector.enabled(),
                new ModelView(served.id(), served.source(), served.loadedAt().toString(), header.createdAt().toString(),
                        header.trainingObservations(), header.trainingProblems(), header.summary()),
                config.selector().modelFile().map(Object::toString).orElse(null), selector.lastReloadError(),
                selector.policySnapshot(), history.status());
    }

    @POST
    @Path("/reload")
    public Response reload() {
        java.nio.file.Path file = config.selector().modelFile().orElseThrow(() -> new InvalidRequestException(
                "no model file is configured (gateway.selector.model-file); the bundled model is served"));
        PlanSelector.ReloadResult result = selector.reload(file);
        return Response.status(result.outcome().equals("loaded") ? 200 : 422).entity(result).build();
    }

    /**
     * @param modelFile       the file watched for new models, or null (bundled model)
     * @param lastReloadError why the last model offered was refused, or null
     */
    public record SelectorView(boolean enabled, ModelView model, String modelFile, String lastReloadError,
            PolicySnapshot policy, LiveHistory.HistoryStatus history) {}

    public record ModelView(String id, String source, String loadedAt, String trainedAt, long trainingObservations,
            int trainingProblems, String summary) {}
}
