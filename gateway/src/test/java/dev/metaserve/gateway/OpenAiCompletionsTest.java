package dev.metaserve.gateway;

import static dev.metaserve.gateway.ScriptedLanguageModel.BPE;
import static dev.metaserve.gateway.ScriptedLanguageModel.CONTINUATION;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** /v1/completions and /v1/chat/completions through the gateway to real nodes whose engine is scripted. */
@QuarkusTest
@WithTestResource(GenerationNodes.class)
class OpenAiCompletionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "In the beginning";

    @BeforeEach
    void nodesJoined() throws InterruptedException {
        GatewayTestSupport.awaitNodes(2);
    }

    /** The text of the first {@code tokens} tokens of the scripted continuation. */
    static String continuation(int tokens) {
        return BPE.decode(Arrays.copyOf(BPE.encode(CONTINUATION), tokens));
    }

    private static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    /** The JSON events of a server-sent event stream, and whether it ended with [DONE]. */
    private static List<JsonNode> events(Response response) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        List<String> data = response.asString().lines().filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6)).toList();
        assertThat(data).last().isEqualTo("[DONE]");
        for (String event : data.subList(0, data.size() - 1)) {
            events.add(JSON.readTree(event));
        }
        return events;
    }

    @Test
    void aCompletionCarriesTextFinishReasonUsageAndWhoRanIt() {
        // the plan named: without one the selector would choose, and target passes depend on the decoding
        post("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"" + PROMPT
                + "\",\"max_tokens\":5,\"plan\":\"decoding=plain\"}")
                .then().statusCode(200)
                .body("id", startsWith("cmpl-"))
                .body("object", equalTo("text_completion"))
                .body("model", equalTo("tiny-lm"))
                .body("choices[0].text", equalTo(continuation(5)))
                .body("choices[0].index", equalTo(0))
                .body("choices[0].finish_reason", equalTo("length"))
                .body("choices[0].logprobs", nullValue())
                .body("usage.prompt_tokens", equalTo(BPE.encode(PROMPT).length))
                .body("usage.completion_tokens", equalTo(5))
                .body("usage.total_tokens", equalTo(BPE.encode(PROMPT).length + 5))
                .body("metaserve.node_id", equalTo(GenerationNodes.SERVING))
                .body("metaserve.plan", equalTo("decoding=plain"))
                .body("metaserve.target_passes", equalTo(6));
    }

    @Test
    void everyRequestSucceedsAlthoughOneNodeIsAlwaysFull() {
        for (int i = 0; i < 4; i++) { // a named plan: least-loaded turns send some to the full node
            post("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":[\"x\"],\"max_tokens\":1,\"plan\":\"decoding=plain\"}")
                    .then().statusCode(200).body("metaserve.node_id", equalTo(GenerationNodes.SERVING));
        }
        assertThat(given().get("/q/metrics").asString())
                .contains("gateway_retries_total{reason=\"RESOURCE_EXHAUSTED\"}")
                .contains("gateway_generated_tokens_total{model=\"tiny-lm\"}");
    }

    @Test
    void aStreamCarriesTheSameTextInChunksThenTheFinishThenDone() throws Exception {
        String whole = post("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"" + PROMPT + "\",\"max_tokens\":30}")
                .then().statusCode(200).extract().path("choices[0].text");

        Response streamed = post("/v1/completions",
                "{\"model\":\"tiny-lm\",\"prompt\":\"" + PROMPT + "\",\"max_tokens\":30,\"stream\":true}");

        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.contentType()).startsWith("text/event-stream");
        List<JsonNode> events = events(streamed);
        assertThat(events.size()).isGreaterThan(2);
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events) {
            assertThat(event.get("object").asText()).isEqualTo("text_completion");
            text.append(event.get("choices").get(0).get("text").asText());
        }
        assertThat(text.toString()).isEqualTo(whole).contains("café ☕");
        assertThat(events.subList(0, events.size() - 1))
                .allSatisfy(e -> assertThat(e.get("choices").get(0).get("finish_reason").isNull()).isTrue());
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(last.get("usage").get("completion_tokens").asInt()).isEqualTo(30);
        assertThat(last.get("metaserve").get("node_id").asText()).isEqualTo(GenerationNodes.SERVING);
    }

    @Test
    void aStopSequenceCutsTheCompletion() {
        post("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_tokens\":60,\"stop\":[\"END\",\"zzz\"]}")
                .then().statusCode(200)
                .body("choices[0].text", equalTo(" and the earth was without form, and void; café ☕ "))
                .body("choices[0].finish_reason", equalTo("stop"));
    }

    @Test
    void aChatCompletionAnswersAsTheAssistant() {
        post("/v1/chat/completions", "{\"model\":\"tiny-lm\",\"max_tokens\":4,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello\"}]}")
                .then().statusCode(200)
                .body("id", startsWith("chatcmpl-"))
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", equalTo(continuation(4)))
                .body("choices[0].finish_reason", equalTo("length"))
                // the documented template: "System: Be brief.\n\nUser: Hello\n\nAssistant:"
                .body("usage.prompt_tokens", equalTo(BPE.encode("System: Be brief.\n\nUser: Hello\n\nAssistant:").length));
    }

    @Test
    void aStreamedChatSendsTheRoleThenContentThenTheFinish() throws Exception {
        List<JsonNode> events = events(post("/v1/chat/completions", "{\"model\":\"tiny-lm\",\"max_tokens\":6,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));

        assertThat(events).allSatisfy(e -> assertThat(e.get("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(events.get(0).get("choices").get(0).get("delta").toString()).isEqualTo("{\"role\":\"assistant\"}");
        StringBuilder content = new StringBuilder();
        for (JsonNode event : events.subList(1, events.size() - 1)) {
            content.append(event.get("choices").get(0).get("delta").get("content").asText());
        }
        assertThat(content.toString()).isEqualTo(continuation(6));
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("choices").get(0).get("delta").isEmpty()).isTrue();
        assertThat(last.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(last.get("usage").get("completion_tokens").asInt()).isEqualTo(6);
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("/v1/completions", "{\"prompt\":\"x\"}", "'model' must be a non-empty string"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\"}", "'prompt' is required"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":[\"a\",\"b\"]}", "'prompt' holds 2 prompts"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":[1,2]}", "token ids"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_tokens\":-1}", "'max_tokens' must be at least 1"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_tokens\":\"ten\"}", "'max_tokens' must be an integer"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"temperature\":2.5}", "'temperature' must be in [0, 2]"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"top_p\":0}", "'top_p' must be in (0, 1]"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"n\":2}", "'n' must be 1"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "'stop' holds 5 sequences"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"stop\":\"\"}", "'stop' sequence 0 is empty"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"stream\":\"yes\"}", "'stream' must be true or false"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"plan\":\"decoding=draft(4)\"}", "cannot run decoding draft(4)"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"plan\":\"speed=max\"}", "unknown key 'speed'"),
                Arguments.of("/v1/completions", "{\"model\":\"all-minilm-l6-v2\",\"prompt\":\"x\"}", "not text generation"),
                Arguments.of("/v1/completions", "{\"model\":", "malformed JSON"),
                Arguments.of("/v1/chat/completions", "{\"model\":\"tiny-lm\"}", "'messages' is required"),
                Arguments.of("/v1/chat/completions", "{\"model\":\"tiny-lm\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "'role' must be 'system', 'user' or 'assistant'"),
                Arguments.of("/v1/chat/completions", "{\"model\":\"tiny-lm\",\"messages\":[{\"role\":\"user\"}]}", "'content' must be a string"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"temperature\":2.0000001}", "'temperature' must be in [0, 2], was 2.0000001"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"top_p\":1.0000001}", "'top_p' must be in (0, 1], was 1.0000001"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_tokens\":2147483648}", "'max_tokens' is too large: at most 2147483647, was 2147483648"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_tokens\":100000000000000000000000}", "'max_tokens' is too large"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_completion_tokens\":0}", "'max_completion_tokens' must be at least 1"),
                Arguments.of("/v1/chat/completions", "{\"model\":\"tiny-lm\",\"max_tokens\":5,\"max_completion_tokens\":6,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "'max_tokens' (5) and 'max_completion_tokens' (6)"),
                Arguments.of("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"seed\":100000000000000000000000}", "'seed' is too large"));
    }

    @Test
    void maxCompletionTokensIsTheNewerNameOfMaxTokens() {
        post("/v1/chat/completions", "{\"model\":\"tiny-lm\",\"max_completion_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")
                .then().statusCode(200).body("usage.completion_tokens", equalTo(3));
        post("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_tokens\":2,"
                + "\"max_completion_tokens\":2}")
                .then().statusCode(200).body("usage.completion_tokens", equalTo(2));
    }

    @Test
    void aTopPBelowTheSmallestFloatIsAccepted() {
        post("/v1/completions", "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_tokens\":2,\"top_p\":1e-50}")
                .then().statusCode(200).body("usage.completion_tokens", equalTo(2));
    }

    @Test
    void aChatStopsWhereTheModelWouldWriteTheNextTurnUnlessTheClientSetsItsOwnStop() {
        // "turns": the scripted model answers, then writes the user's next message itself
        post("/v1/chat/completions", "{\"model\":\"tiny-lm\",\"max_tokens\":60,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"turns\"}]}")
                .then().statusCode(200)
                .body("choices[0].message.content", equalTo(" Very well."))
                .body("choices[0].finish_reason", equalTo("stop"));
        post("/v1/chat/completions", "{\"model\":\"tiny-lm\",\"max_tokens\":60,\"stop\":\"zzz\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"turns\"}]}")
                .then().statusCode(200)
                .body("choices[0].message.content", equalTo(ScriptedLanguageModel.TURNS));
        // a completion has no turns: nothing is added
        post("/v1/completions", "{\"model\":\"tiny-lm\",\"max_tokens\":60,\"prompt\":\"turns\"}")
                .then().statusCode(200)
                .body("choices[0].text", equalTo(ScriptedLanguageModel.TURNS));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badRequestsAre400NamingTheField(String path, String body, String message) {
        post(path, body).then().statusCode(400).contentType(ContentType.JSON).body("error", containsString(message));
    }

    @Test
    void aPromptLongerThanTheContextIsAReal400EvenWhenStreaming() {
        String prompt = "word ".repeat(80);

        post("/v1/completions", "{\"model\":\"tiny-lm\",\"stream\":true,\"prompt\":\"" + prompt + "\"}")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("'prompt' is")).body("error", containsString("context of 64 tokens"));
    }

    @Test
    void anUnknownModelIs404() {
        post("/v1/completions", "{\"model\":\"gpt-9\",\"prompt\":\"x\",\"stream\":true}")
                .then().statusCode(404).body("error", equalTo("unknown model 'gpt-9'"));
    }

    @Test
    void v2InferenceOnALanguageModelIsRefused() {
        given().contentType(ContentType.JSON).body(GatewayTestSupport.v2Text("x")).post("/v2/models/tiny-lm/infer")
                .then().statusCode(400).body("error", containsString("generates text; use POST /v1/completions"));
    }
}
