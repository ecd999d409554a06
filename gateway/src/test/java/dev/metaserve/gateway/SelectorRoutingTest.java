package dev.metaserve.gateway;

import static dev.metaserve.gateway.GatewayTestSupport.MODEL;
import static dev.metaserve.gateway.GatewayTestSupport.v2Text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The selector in the live gateway, over two real nodes: choice, counting, learning from served requests. */
@QuarkusTest
@WithTestResource(SelectorNodes.class)
class SelectorRoutingTest {

    @BeforeEach
    void nodesJoined() throws InterruptedException {
        GatewayTestSupport.awaitNodes(2);
        SelectorNodes.injectDelay(SelectorNodes.A, Duration.ZERO);
        SelectorNodes.injectDelay(SelectorNodes.B, Duration.ZERO);
    }

    private static JsonPath infer(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String withParameters(String body, String parameters) {
        return body.substring(0, body.length() - 1) + ",\"parameters\":{" + parameters + "}}";
    }

    @Test
    void aRequestWithoutAPlanGetsTheSelectorsChoiceAndIsCountedPerPlan() {
        long before = given().get("/admin/selector").then().statusCode(200).extract().jsonPath()
                .getLong("policy.decisions");
        for (int i = 0; i < 8; i++) {
            JsonPath answer = infer(v2Text("the selector chooses for request " + i));
            assertThat(answer.getString("parameters.node_id")).isIn(SelectorNodes.A, SelectorNodes.B);
            assertThat(answer.getString("parameters.batching")).isIn("none", "dynamic(8,1000)", "dynamic(32,5000)");
            assertThat(answer.getString("parameters.precision")).isEqualTo("fp32"); // these nodes have no INT8 twin
        }

        JsonPath status = given().get("/admin/selector").then().statusCode(200)
                .body("enabled", equalTo(true))
                .body("model.id", startsWith("sel-"))
                .body("model.source", equalTo("bundled"))
                .extract().jsonPath();
        assertThat(status.getLong("policy.decisions")).isEqualTo(before + 8);
        Map<String, Integer> perPlan = status.getMap("policy.decisionsPerPlan");
        assertThat(perPlan.values().stream().mapToLong(Integer::longValue).sum()).isEqualTo(before + 8);
        assertThat(status.getList("policy.taskClasses")).isNotEmpty();
        // each class shows how load slows it on the nodes it was sent to, per batching (an exponent of the load factor)
        Map<String, Float> elasticity = status.getMap("policy.taskClasses[0].loadElasticity");
        assertThat(elasticity).isNotEmpty();
        assertThat(elasticity.keySet()).allMatch(group -> group.matches(
                "(" + SelectorNodes.A + "|" + SelectorNodes.B + ") batching=(none|dynamic\\(\\d+,\\d+\\))"));
        assertThat(elasticity.values()).allMatch(e -> e >= 0 && e <= 2);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("gateway_selector_decisions_total{").contains("model=\"" + MODEL + "\"");
    }

    @Test
    void aRequestThatNamesItsPlanKeepsItAndIsNotADecision() {
        long before = given().get("/admin/selector").then().extract().jsonPath().getLong("policy.decisions");
        JsonPath answer = infer(withParameters(v2Text("my own plan"), "\"batching\":\"dynamic(8,1000)\""));
        assertThat(answer.getString("parameters.batching")).isEqualTo("dynamic(8,1000)");
        long after = given().get("/admin/selector").then().extract().jsonPath().getLong("policy.decisions");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void badPreferencesAreRefusedNamingTheParameter() {
        given().contentType(ContentType.JSON).body(withParameters(v2Text("x"), "\"objective\":\"fastest\""))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("objective"));
        given().contentType(ContentType.JSON).body(withParameters(v2Text("x"), "\"quality_tolerance\":-1"))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("quality_tolerance"));
        infer(withParameters(v2Text("x"), "\"objective\":\"throughput\",\"quality_tolerance\":0"));
    }

    @Test
    void servedRequestsReachTheHistoryStore() throws InterruptedException {
        long before = given().get("/admin/selector").then().extract().jsonPath().getLong("history.requestsWritten");
        for (int i = 0; i < 5; i++) {
            infer(v2Text("recorded request " + i));
        }
        Instant end = Instant.now().plusSeconds(30);
        JsonPath status;
        do {
            Thread.sleep(100);
            status = given().get("/admin/selector").then().extract().jsonPath();
        } while (status.getLong("history.requestsWritten") < before + 5 && Instant.now().isBefore(end));
        assertThat(status.getBoolean("history.recording")).isTrue();
        assertThat(status.getLong("history.requestsWritten")).isGreaterThanOrEqualTo(before + 5);
        assertThat(status.getLong("history.rowsWritten")).isPositive();
        assertThat(status.getString("history.location")).contains("history.mv.db");
    }

    @Test
    void theSelectorShiftsAwayFromANodeThatTurnsSlow() {
        for (int i = 0; i < 30; i++) {
            infer(v2Text("warming up " + i));
        }
        SelectorNodes.injectDelay(SelectorNodes.B, Duration.ofMillis(300));
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            nodes.add(infer(v2Text("after the slowdown " + i)).getString("parameters.node_id"));
        }
        List<String> last = nodes.subList(40, 60);
        long onSlow = last.stream().filter(SelectorNodes.B::equals).count();
        // B's three plans each need a few slow answers before the policy believes it; then it explores it rarely
        assertThat(onSlow).as("requests of the last 20 sent to the slowed node; all 60: %s", nodes).isLessThanOrEqualTo(3);
    }
}
