package dev.metaserve.gateway.api.openai;

import io.quarkus.vertx.web.Body;
import io.quarkus.vertx.web.Route;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code POST /v1/completions}: OpenAI text completions, whole or streamed (see {@link GenerationExchange}). */
@ApplicationScoped
public class CompletionsRoute {
    private static final CompletionShape SHAPE = new TextCompletionShape();
    private final GenerationExchange exchange;

    public CompletionsRoute(GenerationExchange exchange) {
        this.exchange = exchange;
    }

    @Route(path = "/v1/completions", methods = Route.HttpMethod.POST, type = Route.HandlerType.NORMAL)
    void complete(RoutingContext context, @Body Buffer body) {
        exchange.serve(context, body, "openai.completions", CompletionRequest::parse, SHAPE);
    }
}
