package dev.metaserve.gateway;

import static dev.metaserve.gateway.GatewayTestSupport.MODEL;
import static dev.metaserve.gateway.GatewayTestSupport.v2Text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.metaserve.api.inference.ModelMetadataResponse;
import dev.metaserve.api.node.HeartbeatRequest;
import dev.metaserve.api.node.Load;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.api.node.NodeRegistryGrpc;
import dev.metaserve.api.node.RegisterRequest;
import dev.metaserve.api.node.RegisterResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Joining, staying and leaving: the node protocol's gateway side, with a short lease to keep the test quick. */
@QuarkusTest
@WithTestResource(InProcessNode.class)
@TestProfile(NodeRegistryTest.ShortLease.class)
class NodeRegistryTest {
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.lease-ttl", "1500ms", "gateway.heartbeat-interval", "300ms");
        }
    }

    ManagedChannel channel;
    NodeRegistryGrpc.NodeRegistryBlockingStub registry;

    @BeforeEach
    void connect() throws InterruptedException {
        GatewayTestSupport.awaitNodes(1);
        channel = GatewayTestSupport.grpcChannel();
        registry = NodeRegistryGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A registration for a node that does not exist: nothing listens at its address. */
    static RegisterRequest ghost(String id, String token) {
        ModelMetadataResponse metadata = ModelMetadataResponse.newBuilder()
                .setName(MODEL).addVersions("1").setPlatform("onnxruntime_onnx")
                .addInputs(ModelMetadataResponse.TensorMetadata.newBuilder().setName("text").setDatatype("BYTES").addShape(-1))
                .addOutputs(ModelMetadataResponse.TensorMetadata.newBuilder().setName("embedding").setDatatype("FP32").addShape(-1).addShape(384))
                .build();
        return RegisterRequest.newBuilder()
                .setNodeId(id)
                .setAddress("127.0.0.1:" + InProcessNode.freePort())
                .addModels(ModelDescriptor.newBuilder().setMetadata(metadata).setMaxBatchSize(16).setTask("embedding"))
                .setHardware(dev.metaserve.api.node.Hardware.newBuilder().setIntraOpThreads(1).setInjectedDelayMs(20))
                .setJoinToken(token)
                .build();
    }

    @Test
    void wrongJoinTokenIsRefused() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> registry.register(ghost("intruder", "guess")));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getStatus().getDescription()).contains("join token");
        assertThat(nodeIds()).doesNotContain("intruder");
    }

    @Test
    void registrationWithoutModelsOrAddressIsInvalid() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> registry.register(ghost("bad", InProcessNode.JOIN_TOKEN).toBuilder().setAddress("nowhere").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("host:port");
    }

    @Test
    void heartbeatForAnUnknownLeaseSaysRegisterAgain() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> registry.heartbeat(HeartbeatRequest.newBuilder().setNodeId("test-node").setLeaseId("stale").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).contains("register again");
    }

    @Test
    void aNodeThatStopsHeartbeatingIsDroppedWhenItsLeaseRunsOut() throws InterruptedException {
        RegisterResponse lease = registry.register(ghost("silent", InProcessNode.JOIN_TOKEN));
        assertThat(lease.getLeaseTtlMs()).isEqualTo(1500);
        assertThat(nodeIds()).contains("silent");

        // one heartbeat keeps it, then silence
        registry.heartbeat(HeartbeatRequest.newBuilder().setNodeId("silent").setLeaseId(lease.getLeaseId())
                .setLoad(Load.newBuilder().setQueueDepth(3)).build());
        assertThat(given().get("/admin/nodes").then().extract().<Integer>path("find { it.id == 'silent' }.queueDepth")).isEqualTo(3);
        assertThat(given().get("/admin/nodes").then().extract()
                .<Integer>path("find { it.id == 'silent' }.hardware.injectedDelayMs")).isEqualTo(20);

        awaitNodeGone("silent", Duration.ofSeconds(10));
        assertThat(nodeIds()).contains("test-node");
    }

    @Test
    void aRequestRoutedToADeadNodeIsRetriedOnAnotherAndTheDeadNodeIsDropped() {
        registry.register(ghost("dead", InProcessNode.JOIN_TOKEN));
        assertThat(nodeIds()).contains("dead");

        // Both nodes are idle, so turns alternate: within two requests one goes to the dead node first. The requests
        // name their plan, so they are routed least-loaded (the selector would keep away from the ghost's 20 ms link).
        for (int i = 0; i < 4; i++) {
            String body = v2Text("retry me " + i);
            body = body.substring(0, body.length() - 1) + ",\"parameters\":{\"batching\":\"none\"}}";
            given().contentType(ContentType.JSON).body(body).post("/v2/models/" + MODEL + "/infer")
                    .then().statusCode(200);
        }
        assertThat(nodeIds()).doesNotContain("dead").contains("test-node");
        assertThat(given().get("/q/metrics").asString()).contains("gateway_retries_total{reason=\"UNAVAILABLE\"}");
    }

    @Test
    void nodesThatReportOneHostShareItsCoresAndANodeWithoutOneIsAlone() {
        Map<String, RegisterResponse> leases = Map.of(
                "rack-a", registry.register(withHardware(ghost("rack-a", InProcessNode.JOIN_TOKEN), "rack-7", 4)),
                "rack-b", registry.register(withHardware(ghost("rack-b", InProcessNode.JOIN_TOKEN), "rack-7", 2)),
                "loner", registry.register(withHardware(ghost("loner", InProcessNode.JOIN_TOKEN), "", 2)));
        try {
            var nodes = given().get("/admin/nodes").then().statusCode(200).extract();
            assertThat(nodes.<String>path("find { it.id == 'rack-b' }.hardware.host")).isEqualTo("rack-7");
            assertThat(nodes.<String>path("find { it.id == 'rack-b' }.host.name")).isEqualTo("rack-7");
            // the machine has as many cores as its largest node reports
            assertThat(nodes.<Integer>path("find { it.id == 'rack-b' }.host.cores")).isEqualTo(4);
            assertThat(nodes.<Integer>path("find { it.id == 'rack-a' }.host.cores")).isEqualTo(4);
            assertThat(nodes.<String>path("find { it.id == 'loner' }.host.name")).isEqualTo("(loner)");
            assertThat(nodes.<Integer>path("find { it.id == 'loner' }.host.busyCores")).isZero();
        } finally {
            leases.forEach((id, lease) -> registry.deregister(dev.metaserve.api.node.DeregisterRequest.newBuilder()
                    .setNodeId(id).setLeaseId(lease.getLeaseId()).build()));
        }
    }

    private static RegisterRequest withHardware(RegisterRequest request, String host, int cores) {
        return request.toBuilder().setHardware(request.getHardware().toBuilder().setHost(host).setCpuCores(cores))
                .build();
    }

    @Test
    void deregisteredNodeLeavesAtOnce() {
        RegisterResponse lease = registry.register(ghost("leaving", InProcessNode.JOIN_TOKEN));
        registry.deregister(dev.metaserve.api.node.DeregisterRequest.newBuilder()
                .setNodeId("leaving").setLeaseId(lease.getLeaseId()).build());
        assertThat(nodeIds()).doesNotContain("leaving");
    }

    static List<String> nodeIds() {
        return given().get("/admin/nodes").then().statusCode(200).extract().path("id");
    }

    static void awaitNodeGone(String id, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end) && nodeIds().contains(id)) {
            Thread.sleep(100);
        }
        assertThat(nodeIds()).doesNotContain(id);
    }
}
