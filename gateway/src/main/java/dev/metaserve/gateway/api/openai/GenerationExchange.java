package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.gateway.api.ErrorBody;
import dev.metaserve.gateway.api.ErrorMapping;
import dev.metaserve.gateway.api.JsonBodies;
import dev.metaserve.gateway.routing.GenerationRouter;
import dev.metaserve.gateway.security.ApiKeys;
import dev.metaserve.gateway.telemetry.GatewayMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One OpenAI generation call over HTTP, for both endpoints: API key, body, the node's stream, and the answer, as one
 * JSON object or as server-sent events ({@code data: {...}} per event, then {@code data: [DONE]}). The status is
 * committed only when the first chunk has come, so a request the node refuses (say, a prompt longer than the context)
 * gets a real 400 with {@code {"error": "..."}} even when streaming. A failure after that can only end the stream: it
 * is sent as a last event {@code data: {"error": "..."}}, without {@code [DONE]}. A client that disconnects cancels
 * the node's job.
 *
 * <p>These endpoints are Vert.x routes rather than REST resources because the REST layer commits a streamed response's
 * status before the first item, and because one path answers either JSON or an event stream.
 */
@ApplicationScoped
public class GenerationExchange {
    private static final Logger LOG = Logger.getLogger(GenerationExchange.class);

    private final GenerationRouter router;
    private final GatewayMetrics metrics;
    private final ObjectMapper mapper;
    private final ApiKeys keys;

    public GenerationExchange(GenerationRouter router, GatewayMetrics metrics, ObjectMapper mapper, ApiKeys keys) {
        this.router = router;
        this.metrics = metrics;
        this.mapper = mapper;
        this.keys = keys;
    }

    void serve(RoutingContext context, Buffer body, String endpoint,
               Function<JsonNode, GenerationParams.Parsed> parser, CompletionShape shape) {
        HttpServerResponse response = context.response();
        if (!keys.admits(context.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            response.putHeader("WWW-Authenticate", "Bearer");
            writeError(response, 401, ApiKeys.MISSING);
            return;
        }
        GenerationParams.Parsed parsed;
        try {
            parsed = parser.apply(JsonBodies.parse(mapper, body == null ? null : body.getBytes()));
        } catch (RuntimeException e) {
            metrics.timed(endpoint, "", "200", t -> Integer.toString(ErrorMapping.httpStatus(t)),
                    Uni.createFrom().failure(e)).subscribe().with(ok -> { }, failure -> { });
            writeFailure(response, e);
            return;
        }
        String model = parsed.request().getModel();
        CompletionShape.Header header = new CompletionShape.Header(shape.idPrefix() + UUID.randomUUID(),
                System.currentTimeMillis() / 1000, model);
        Context vertx = Vertx.currentContext();
        Executor onRequestContext = command -> vertx.runOnContext(ignored -> command.run());
        Multi<GenerateResponse> chunks = metrics.timedStream(endpoint, model, "200",
                        t -> Integer.toString(ErrorMapping.httpStatus(t)), "499",
                        router.generate(parsed.request(), null))
                .emitOn(onRequestContext);
        // the handlers first, so that a client gone before the subscription exists still cancels the node's job
        Subscription subscription = new Subscription();
        response.closeHandler(closed -> subscription.cancel());
        response.exceptionHandler(failure -> {
            // a reset or broken connection: the client has gone, nothing to answer (and not an unhandled error)
            LOG.debugf("generation client connection failed: %s", failure);
            subscription.cancel();
        });
        subscription.set(parsed.stream()
                ? stream(response, chunks, header, shape)
                : whole(response, chunks, header, shape));
        if (response.closed()) {
            subscription.cancel();
        }
    }

    /** The subscription to the node's chunks, cancellable before it is set (it is then cancelled as it is set). */
    private static final class Subscription {
        private final AtomicReference<Cancellable> current = new AtomicReference<>();
        private volatile boolean cancelled;

        void set(Cancellable subscription) {
            current.set(subscription);
            if (cancelled) {
                subscription.cancel();
            }
        }

        void cancel() {
            cancelled = true;
            Cancellable subscription = current.get();
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }

    private Cancellable whole(HttpServerResponse response, Multi<GenerateResponse> chunks,
                              CompletionShape.Header header, CompletionShape shape) {
        return chunks.collect().asList().subscribe().with(
                all -> {
                    if (all.isEmpty() || all.get(all.size() - 1).getFinishReason().isEmpty()) {
                        // the node ended its stream without the last chunk (finish reason, usage): a broken answer
                        LOG.warnf("generation %s: the node's stream ended after %d chunks without a finish reason",
                                header.id(), all.size());
                        writeError(response, 502, "the node ended the generation without its last chunk (finish"
                                + " reason and usage); try again");
                        return;
                    }
                    StringBuilder text = new StringBuilder();
                    all.forEach(chunk -> text.append(chunk.getText()));
                    GenerateResponse last = all.get(all.size() - 1);
                    writeJson(response, 200, shape.whole(header, text.toString(), last));
                },
                failure -> writeFailure(response, failure));
    }

    private Cancellable stream(HttpServerResponse response, Multi<GenerateResponse> chunks,
                               CompletionShape.Header header, CompletionShape shape) {
        return chunks.subscribe().with(
                chunk -> {
                    boolean first = !response.headWritten();
                    if (first) {
                        response.setStatusCode(200).setChunked(true)
                                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                    }
                    for (Object event : shape.events(header, chunk, first)) {
                        response.write("data: " + json(event) + "\n\n");
                    }
                },
                failure -> {
                    if (!response.headWritten()) {
                        writeFailure(response, failure);
                    } else if (!response.ended() && !response.closed()) {
                        response.end("data: " + json(new ErrorBody(ErrorMapping.message(failure))) + "\n\n");
                    }
                },
                () -> {
                    if (!response.ended() && !response.closed()) {
                        response.end("data: [DONE]\n\n");
                    }
                });
    }

    private void writeFailure(HttpServerResponse response, Throwable failure) {
        int status = ErrorMapping.httpStatus(failure);
        if (status >= 500 && status != 503) {
            LOG.warn("generation failed", failure);
        }
        writeError(response, status, ErrorMapping.message(failure));
    }

    private void writeError(HttpServerResponse response, int status, String message) {
        writeJson(response, status, new ErrorBody(message));
    }

    private void writeJson(HttpServerResponse response, int status, Object body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json(body));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
