package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
import dev.metaserve.api.node.RegisterRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A whole node on loopback TCP: real model, Netty server, and a fake gateway registry on its own port. */
class NodeAgentTest {
    @Test
    void aNodeRegistersServesOverTcpAndDeregistersOnClose() throws Exception {
        FakeRegistry registry = new FakeRegistry(100);
        Server gateway = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(registry).build().start();
        NodeSettings settings = new NodeSettings("node-e2e", "127.0.0.1", 0, "127.0.0.1:" + gateway.getPort(), "tok",
                1, 8, 4, 1, Duration.ofSeconds(5));
        ManagedChannel channel = null;
        try (NodeAgent agent = NodeAgent.start(settings)) {
            assertThat(agent.port()).isPositive();
            assertThat(agent.address()).isEqualTo("127.0.0.1:" + agent.port());
            Poll.until("registered", () -> agent.registration().leaseId().isPresent());

            RegisterRequest sent = registry.registers.get(0);
            assertThat(sent.getAddress()).isEqualTo(agent.address());
            assertThat(sent.getJoinToken()).isEqualTo("tok");
            assertThat(sent.getHardware().getCpuCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(sent.getHardware().getAccelerator()).isEqualTo("none");
            assertThat(sent.getHardware().getIntraOpThreads()).isEqualTo(1);
            assertThat(sent.getHardware().getCpuModel()).isNotBlank();
            assertThat(sent.getModelsList()).singleElement().satisfies(model -> {
                assertThat(model.getTask()).isEqualTo("embedding");
                assertThat(model.getMaxBatchSize()).isEqualTo(8);
                assertThat(model.getMetadata().getName()).isEqualTo("all-minilm-l6-v2");
                assertThat(model.getMetadata().getPlatform()).isEqualTo("onnxruntime_onnx");
                assertThat(model.getMetadata().getOutputs(0).getShapeList()).containsExactly(-1L, 384L);
            });

            channel = Grpc.newChannelBuilder(agent.address(), InsecureChannelCredentials.create()).build();
            ModelInferResponse response = NodeInferenceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .infer(InferRequests.texts("over the wire"));
            assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 384L);
            assertThat(response.getParametersMap().get("node_id").getStringParam()).isEqualTo("node-e2e");

            Poll.until("a heartbeat reporting the request",
                    () -> registry.heartbeats.stream().anyMatch(h -> h.getLoad().getCompleted() == 1));
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
        }
        assertThat(registry.deregisters).singleElement()
                .satisfies(d -> assertThat(d.getNodeId()).isEqualTo("node-e2e"));
        gateway.shutdownNow().awaitTermination();
    }
}
