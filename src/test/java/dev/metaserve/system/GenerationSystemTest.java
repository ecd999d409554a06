package dev.metaserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.generate.TextGenerationGrpc;
import dev.metaserve.launcher.LocalCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The gateway and one node serving the bundled language model (trained target and draft, ONNX Runtime), driven as a
 * client would: streamed completions over REST (server-sent events) and gRPC, every decoding giving the greedy text of
 * plain decoding, and bad parameters refused with a 4xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerationSystemTest {
    static final String LM = "austen-kjv";
    static final List<String> PROMPTS = List.of(
            "It is a truth universally acknowledged, that a single man",
            "And God said, Let there be light: and",
            "Elizabeth was",
            "the Lord is my shepherd; the Lord is my shepherd; the Lord");

    LocalCluster cluster;
    ManagedChannel channel;

    @BeforeAll
    void start() throws Exception {
        Path root = Path.of(System.getProperty("metaserve.root", "../..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(LocalCluster.Options.defaults(root)
                .withNodes(1)
                .withNodeArgs(List.of("--lm", "bundled", "--intra-op-threads", "1"))
                .withLogDir(root.resolve("src/test/target/cluster-logs/" + getClass().getSimpleName())));
        channel = ManagedChannelBuilder.forTarget(cluster.grpcTarget()).usePlaintext().build();
    }

    @AfterAll
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aStreamedCompletionArrivesInEventsEndingWithDone() throws Exception {
        List<String> lines = stream("/v1/completions", Map.of("model", LM, "prompt", PROMPTS.get(0),
                "max_tokens", 24, "temperature", 0, "stream", true));

        assertThat(lines.get(lines.size() - 1)).isEqualTo("data: [DONE]");
        List<JsonNode> events = events(lines);
        assertThat(events.size()).as("one event per piece of text and a last one with the finish").isGreaterThan(2);
        String streamed = events.stream().map(e -> e.get("choices").get(0).get("text").asText(""))
                .collect(Collectors.joining());
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("usage").get("completion_tokens").asInt()).isBetween(1, 24);

        var whole = Clients.post(cluster.httpUri(), "/v1/completions", Clients.JSON.writeValueAsString(
                Map.of("model", LM, "prompt", PROMPTS.get(0), "max_tokens", 24, "temperature", 0)));
        assertThat(whole.status()).as(whole.raw()).isEqualTo(200);
        assertThat(streamed).isNotBlank().isEqualTo(whole.body().get("choices").get(0).get("text").asText());
    }

    @Test
    void aStreamedChatSendsTheAssistantsText() throws Exception {
        List<String> lines = stream("/v1/chat/completions", Map.of("model", LM, "max_tokens", 12, "stream", true,
                "seed", 3, "messages", List.of(Map.of("role", "user", "content", "Who was Emma?"))));

        assertThat(lines.get(lines.size() - 1)).isEqualTo("data: [DONE]");
        List<JsonNode> events = events(lines);
        assertThat(events.get(0).get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(events.get(events.size() - 1).get("choices").get(0).get("finish_reason").asText())
                .isIn("length", "stop");
    }

    @Test
    void greedyTextIsTheSameWithEveryDecodingOverGrpc() {
        var client = TextGenerationGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
        for (String prompt : PROMPTS) {
            String plain = null;
            for (String decoding : List.of("plain", "draft(2)", "draft(4)", "ngram(4,2)")) {
                List<GenerateResponse> chunks = new ArrayList<>();
                client.generate(GenerateRequest.newBuilder().setModel(LM).setPrompt(prompt).setMaxTokens(32)
                        .setTemperature(0).setPlan("decoding=" + decoding).build()).forEachRemaining(chunks::add);
                GenerateResponse last = chunks.get(chunks.size() - 1);
                String text = chunks.stream().map(GenerateResponse::getText).collect(Collectors.joining());
                assertThat(last.getFinishReason()).isNotEmpty();
                assertThat(last.getUsage().getCompletionTokens()).isPositive();
                if (decoding.startsWith("draft")) {
                    assertThat(last.getUsage().getProposedTokens()).as("the draft proposed tokens").isPositive();
                }
                if (plain == null) {
                    plain = text;
                } else {
                    assertThat(text).as(decoding + " on '" + prompt + "'").isEqualTo(plain);
                }
            }
        }
    }

    @Test
    void badParametersAre4xxNamingTheProblem() throws Exception {
        String longPrompt = "and the king said unto them, ".repeat(60);
        Map<Map<String, Object>, String> cases = Map.of(
                Map.of("model", LM, "prompt", "x", "max_tokens", -3), "'max_tokens' must be at least 1",
                Map.of("model", LM, "prompt", "x", "temperature", 7), "'temperature' must be in [0, 2]",
                Map.of("model", LM, "prompt", longPrompt), "context of 256 tokens",
                Map.of("model", "no-such-lm", "prompt", "x"), "unknown model 'no-such-lm'");
        for (var entry : cases.entrySet()) {
            var reply = Clients.post(cluster.httpUri(), "/v1/completions", Clients.JSON.writeValueAsString(entry.getKey()));
            assertThat(reply.status()).as(reply.raw()).isBetween(400, 499);
            assertThat(reply.body().get("error").asText()).contains(entry.getValue());
        }
        var client = TextGenerationGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                () -> client.generate(GenerateRequest.newBuilder().setModel(LM).setPrompt("x").setTopP(1.5f).build())
                        .forEachRemaining(r -> { }));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).contains("top_p");
    }

    private List<String> stream(String path, Map<String, Object> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.httpUri() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Clients.JSON.writeValueAsString(body)))
                .build();
        HttpResponse<Stream<String>> response = Clients.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        return response.body().filter(line -> !line.isBlank()).toList();
    }

    private static List<JsonNode> events(List<String> lines) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertThat(line).startsWith("data: ");
            events.add(Clients.JSON.readTree(line.substring("data: ".length())));
        }
        return events;
    }
}
