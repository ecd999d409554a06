package dev.metaserve.gateway;

import static dev.metaserve.gateway.GatewayTestSupport.MODEL;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(InProcessNode.class)
class OpenAiEmbeddingsTest {

    @BeforeEach
    void nodeJoined() throws InterruptedException {
        GatewayTestSupport.awaitNodes(1);
    }

    @Test
    void modelsListsWhatNodesServe() {
        given().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItem(MODEL))
                .body("data[0].object", equalTo("model"));
    }

    @Test
    void stringInputGivesOneEmbeddingWithUsage() {
        given().contentType(ContentType.JSON).body("{\"model\":\"" + MODEL + "\",\"input\":\"The cat sat on the mat.\"}")
                .post("/v1/embeddings").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("model", equalTo(MODEL))
                .body("data[0].object", equalTo("embedding"))
                .body("data[0].index", equalTo(0))
                .body("data[0].embedding.size()", equalTo(384))
                // [CLS] the cat sat on the mat . [SEP]
                .body("usage.prompt_tokens", equalTo(9))
                .body("usage.total_tokens", equalTo(9));
    }

    @Test
    void arrayInputKeepsOrderAndBase64CarriesTheSameVectors() {
        String body = "{\"model\":\"" + MODEL + "\",\"input\":[\"alpha beta\",\"gamma\"]";
        List<Float> first = given().contentType(ContentType.JSON).body(body + "}")
                .post("/v1/embeddings").then().statusCode(200)
                .body("data.index", equalTo(List.of(0, 1)))
                .extract().path("data[1].embedding");
        String encoded = given().contentType(ContentType.JSON).body(body + ",\"encoding_format\":\"base64\"}")
                .post("/v1/embeddings").then().statusCode(200)
                .extract().path("data[1].embedding");

        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.remaining()).isEqualTo(384 * 4);
        for (int i = 0; i < 384; i++) {
            assertThat(bytes.getFloat()).isCloseTo(first.get(i), org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badBodies() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("{\"input\":\"x\"}", "'model' must be a non-empty string"),
                org.junit.jupiter.params.provider.Arguments.of("{\"model\":\"all-minilm-l6-v2\"}", "'input' is required"),
                org.junit.jupiter.params.provider.Arguments.of("{\"model\":\"all-minilm-l6-v2\",\"input\":[]}", "'input' is an empty array"),
                org.junit.jupiter.params.provider.Arguments.of("{\"model\":\"all-minilm-l6-v2\",\"input\":\"\"}", "empty string"),
                org.junit.jupiter.params.provider.Arguments.of("{\"model\":\"all-minilm-l6-v2\",\"input\":[1,2,3]}", "token ids"),
                org.junit.jupiter.params.provider.Arguments.of("{\"model\":\"all-minilm-l6-v2\",\"input\":{\"a\":1}}", "must be a string or an array"),
                org.junit.jupiter.params.provider.Arguments.of("{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\",\"encoding_format\":\"hex\"}", "'encoding_format'"),
                org.junit.jupiter.params.provider.Arguments.of("[1,2]", "must be a JSON object"),
                org.junit.jupiter.params.provider.Arguments.of("{\"model\":", "malformed JSON"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badRequestsAre400WithTheProblem(String body, String message) {
        given().contentType(ContentType.JSON).body(body).post("/v1/embeddings")
                .then().statusCode(400).body("error", containsString(message));
    }

    @Test
    void unknownModelIs404() {
        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-9\",\"input\":\"x\"}").post("/v1/embeddings")
                .then().statusCode(404).body("error", containsString("unknown model 'gpt-9'"));
    }
}
