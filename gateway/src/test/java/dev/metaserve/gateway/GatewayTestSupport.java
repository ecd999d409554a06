package dev.metaserve.gateway;

import static io.restassured.RestAssured.given;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.ConfigProvider;

/** Shared by the gateway tests: waiting for the node to join, and a channel to the gateway's gRPC port. */
final class GatewayTestSupport {
    static final String MODEL = "all-minilm-l6-v2";

    private GatewayTestSupport() {}

    /** Waits until the in-process node holds a lease, so that tests start from a ready gateway. */
    static void awaitNodes(int count) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(end)) {
            java.util.List<String> ids = given().when().get("/admin/nodes").then().extract().path("id");
            if (ids != null && ids.size() == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node did not register");
    }

    static ManagedChannel grpcChannel() {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    static String v2Text(String... texts) {
        StringBuilder data = new StringBuilder();
        for (String t : texts) {
            data.append(data.isEmpty() ? "" : ",").append('"').append(t).append('"');
        }
        return "{\"inputs\":[{\"name\":\"text\",\"shape\":[" + texts.length + "],\"datatype\":\"BYTES\",\"data\":[" + data + "]}]}";
    }
}
