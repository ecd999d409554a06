package dev.metaserve.gateway.api.openai;

import io.quarkus.vertx.web.Body;
import io.quarkus.vertx.web.Route;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v1/chat/completions}: the messages rendered to one prompt by {@link ChatPrompt}, answered as OpenAI chat
 * completions, whole or streamed (see {@link GenerationExchange}).
 */
@ApplicationScoped
public class ChatCompletionsRoute {
    private static final CompletionShape SHAPE = new ChatCompletionShape();
    private final GenerationExchange exchange;

    public ChatCompletionsRoute(GenerationExchange exchange) {
        this.exchange = exchange;
    }

    @Route(path = "/v1/chat/completions", methods = Route.HttpMethod.POST, type = Route.HandlerType.NORMAL)
    void complete(RoutingContext context, @Body Buffer body) {
        exchange.serve(context, body, "openai.chat.completions", ChatRequest::parse, SHAPE);
    }
}
