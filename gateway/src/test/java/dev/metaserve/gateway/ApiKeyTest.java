package dev.metaserve.gateway;

import static dev.metaserve.gateway.GatewayTestSupport.MODEL;
import static dev.metaserve.gateway.GatewayTestSupport.v2Text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.containsString;

import dev.metaserve.api.inference.GRPCInferenceServiceGrpc;
import dev.metaserve.api.inference.ModelMetadataRequest;
import dev.metaserve.api.inference.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InProcessNode.class)
@TestProfile(ApiKeyTest.WithKeys.class)
class ApiKeyTest {
    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.api-keys", "key-one,key-two");
        }
    }

    @Test
    void inferenceWithoutAKeyIs401() throws InterruptedException {
        awaitNodeWithKey();
        given().contentType(ContentType.JSON).body(v2Text("x")).post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer").body("error", containsString("API key"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON)
                .body("{\"model\":\"" + MODEL + "\",\"input\":\"x\"}").post("/v1/embeddings").then().statusCode(401);
        given().get("/v1/models").then().statusCode(401);
        given().get("/admin/nodes").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"stream\":true}")
                .post("/v1/completions").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error", containsString("API key"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON)
                .body("{\"model\":\"tiny-lm\",\"messages\":[]}").post("/v1/chat/completions").then().statusCode(401);
    }

    @Test
    void anyConfiguredKeyIsAccepted() throws InterruptedException {
        awaitNodeWithKey();
        for (String key : new String[] {"key-one", "key-two"}) {
            given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(v2Text("x"))
                    .post("/v2/models/" + MODEL + "/infer").then().statusCode(200);
        }
    }

    @Test
    void healthAndMetricsStayOpen() {
        given().get("/v2/health/live").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void grpcNeedsTheKeyExceptForLiveness() throws InterruptedException {
        awaitNodeWithKey();
        ManagedChannel channel = GatewayTestSupport.grpcChannel();
        try {
            var anonymous = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            assertThat(anonymous.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> anonymous.modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            StatusRuntimeException generate = catchThrowableOfType(StatusRuntimeException.class,
                    () -> dev.metaserve.api.generate.TextGenerationGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .generate(dev.metaserve.api.generate.GenerateRequest.newBuilder().setModel("tiny-lm")
                                    .setPrompt("x").build()).hasNext());
            assertThat(generate.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer key-two");
            var keyed = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            assertThat(keyed.modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build()).getName())
                    .isEqualTo(MODEL);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitNodeWithKey() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (given().get("/v2/health/ready").statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node did not register");
    }
}
