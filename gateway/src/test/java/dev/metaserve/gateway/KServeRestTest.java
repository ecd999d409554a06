package dev.metaserve.gateway;

import static dev.metaserve.gateway.GatewayTestSupport.MODEL;
import static dev.metaserve.gateway.GatewayTestSupport.v2Text;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InProcessNode.class)
class KServeRestTest {

    @BeforeEach
    void nodeJoined() throws InterruptedException {
        GatewayTestSupport.awaitNodes(1);
    }

    @Test
    void healthAndServerMetadataAnswer() {
        given().get("/v2/health/live").then().statusCode(200);
        given().get("/v2/health/ready").then().statusCode(200);
        given().get("/v2").then().statusCode(200).body("name", equalTo("metaserve"));
    }

    @Test
    void modelMetadataDescribesTheNodesModel() {
        given().get("/v2/models/" + MODEL).then().statusCode(200)
                .body("name", equalTo(MODEL))
                .body("inputs[0].name", equalTo("text"))
                .body("inputs[0].datatype", equalTo("BYTES"))
                .body("outputs[0].shape", equalTo(List.of(-1, 384)));
        given().get("/v2/models/" + MODEL + "/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/nope/ready").then().statusCode(404).body("error", containsString("nope"));
    }

    @Test
    void inferReturnsOneUnitVectorPerText() {
        List<Float> data = given().contentType(ContentType.JSON).body(v2Text("first text", "second text"))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(200)
                .body("model_name", equalTo(MODEL))
                .body("outputs[0].name", equalTo("embedding"))
                .body("outputs[0].shape", equalTo(List.of(2, 384)))
                .body("outputs[0].data", hasSize(768))
                .extract().path("outputs[0].data");
        double norm = 0;
        for (int i = 0; i < 384; i++) {
            norm += data.get(i) * data.get(i);
        }
        org.assertj.core.api.Assertions.assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void nestedDataIsAcceptedRowMajor() {
        given().contentType(ContentType.JSON)
                .body("{\"id\":\"r1\",\"inputs\":[{\"name\":\"text\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[[\"a\"],[\"b\"]]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(200).body("id", equalTo("r1")).body("outputs[0].shape[0]", equalTo(2));
    }

    @Test
    void malformedJsonIs400WithWhere() {
        given().contentType(ContentType.JSON).body("{\"inputs\": [")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("malformed JSON"));
    }

    @Test
    void emptyBodyIs400() {
        given().contentType(ContentType.JSON).body("")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("empty"));
    }

    @Test
    void unknownModelIs404() {
        given().contentType(ContentType.JSON).body(v2Text("x"))
                .post("/v2/models/no-such-model/infer")
                .then().statusCode(404).body("error", containsString("unknown model 'no-such-model'"));
    }

    @Test
    void wrongInputNameIs400NamingExpectedInputs() {
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"words\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("unknown input 'words'"))
                .body("error", containsString("[text]"));
    }

    @Test
    void wrongDatatypeIs400() {
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"INT64\",\"data\":[5]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("datatype 'INT64'"))
                .body("error", containsString("expected BYTES"));
    }

    @Test
    void unknownDatatypeIs400() {
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"STRING\",\"data\":[\"x\"]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("unknown datatype 'STRING'"));
    }

    @Test
    void wrongShapeIs400() {
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"text\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("rank"));
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"text\",\"shape\":[-2],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("shape [-2]"));
    }

    @Test
    void dataLengthNotMatchingShapeIs400() {
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"text\",\"shape\":[3],\"datatype\":\"BYTES\",\"data\":[\"x\",\"y\"]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("has 2 data elements but shape [3] needs 3"));
    }

    @Test
    void wrongElementTypeIs400() {
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"text\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"x\",7]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("element 1 is 7, expected a string"));
    }

    @Test
    void emptyInputIs400() {
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"text\",\"shape\":[0],\"datatype\":\"BYTES\",\"data\":[]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("is empty"));
        given().contentType(ContentType.JSON).body("{\"inputs\":[]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("no inputs"));
    }

    @Test
    void tooManyInputsIs400() {
        given().contentType(ContentType.JSON)
                .body("{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"x\"]},"
                        + "{\"name\":\"more\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"y\"]}]}")
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("too many inputs: got 2"));
    }

    @Test
    void batchOverTheNodesMaximumIs400() {
        String[] texts = new String[17];
        java.util.Arrays.fill(texts, "x");
        given().contentType(ContentType.JSON).body(v2Text(texts))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("batch of 17, more than the maximum of 16"));
    }

    @Test
    void oversizeBodyIs413NamingTheLimit() {
        String big = "{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\""
                + "a".repeat(5 * 1024 * 1024) + "\"]}]}";
        given().contentType(ContentType.JSON).body(big)
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(413).body("error", containsString("over the limit of 4194304 bytes"));
        // and the gateway goes on answering
        given().contentType(ContentType.JSON).body(v2Text("after")).post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(200);
    }

    @Test
    void requestsAreCountedInMetrics() {
        given().contentType(ContentType.JSON).body(v2Text("metered")).post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_requests_seconds_count{endpoint=\"v2.rest.infer\",model=\"" + MODEL + "\",status=\"200\"}"))
                .body(containsString("gateway_nodes_live_nodes 1.0"))
                .body(containsString("gateway_node_in_flight{node=\"test-node\"}"));
    }
}
