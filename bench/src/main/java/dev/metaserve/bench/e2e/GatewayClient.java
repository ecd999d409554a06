package dev.metaserve.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.metaserve.accelerators.Plan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The two REST calls of the benchmark, as a client makes them: KServe v2 {@code POST /v2/models/<model>/infer} with a
 * BYTES input {@code text} (the plan, when named, in the request's {@code parameters} {@code batching} and
 * {@code precision}: {@code /v1/embeddings} has no way to name one), and {@code POST /v1/completions}, greedy and
 * not streamed (the plan in our extension field {@code plan}). Each returns which node and plan served it, from the
 * response parameters {@code node_id}, {@code batching} and {@code precision}, or from the completion's
 * {@code metaserve} object. Thread-safe.
 */
final class GatewayClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = new ObjectMapper();

    GatewayClient(URI base) {
        this.base = base;
    }

    /** Embeds the texts; {@code plan} null names none. */
    Served embed(String model, List<String> texts, Plan plan) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        ObjectNode input = body.putArray("inputs").addObject()
                .put("name", "text").put("datatype", "BYTES");
        input.putArray("shape").add(texts.size());
        ArrayNode data = input.putArray("data");
        texts.forEach(data::add);
        if (plan != null) {
            body.putObject("parameters")
                    .put("batching", plan.batching().toString())
                    .put("precision", plan.precision().toString());
        }
        JsonNode answer = post("/v2/models/" + model + "/infer", body);
        JsonNode shape = answer.path("outputs").path(0).path("shape");
        if (shape.path(0).asLong(-1) != texts.size()) {
            throw new IOException("the gateway answered " + shape + " for " + texts.size() + " texts");
        }
        JsonNode parameters = answer.path("parameters");
        Plan used = Plan.parse("batching=" + parameters.path("batching").asText("none")
                + ",precision=" + parameters.path("precision").asText("fp32"));
        return new Served(parameters.path("node_id").asText("?"), Phase.EMBEDDING.planText(used), null);
    }

    /** Continues the prompt by up to {@code maxTokens} tokens at temperature 0; {@code plan} null names none. */
    Served complete(String model, String prompt, int maxTokens, Plan plan) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode()
                .put("model", model)
                .put("prompt", prompt)
                .put("max_tokens", maxTokens)
                .put("temperature", 0);
        if (plan != null) {
            body.put("plan", Phase.GENERATION.planText(plan));
        }
        JsonNode answer = post("/v1/completions", body);
        JsonNode ours = answer.path("metaserve");
        // the gateway writes node_id; a plain node is read too
        String node = ours.hasNonNull("node_id") ? ours.get("node_id").asText() : ours.path("node").asText("?");
        String planText = ours.path("plan").asText("");
        String used = planText.isBlank() ? "?" : Phase.GENERATION.planText(Plan.parse(planText));
        return new Served(node, used, answer.path("choices").path(0).path("text").asText());
    }

    /** The selector's state as {@code GET /admin/selector} shows it (its policy: decisions, classes, elasticities). */
    JsonNode selectorStatus() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/admin/selector")).timeout(TIMEOUT).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET /admin/selector answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return json.readTree(response.body());
    }
}
