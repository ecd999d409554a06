package dev.metaserve.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.generate.TextGenerationGrpc;
import dev.metaserve.api.node.DeregisterRequest;
import dev.metaserve.api.node.NodeRegistryGrpc;
import dev.metaserve.gateway.routing.NodeRegistry;
import dev.metaserve.gateway.routing.RegisteredNode;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TextGeneration/Generate on the gateway's gRPC port, forwarded to real nodes whose engine is scripted. */
@QuarkusTest
@WithTestResource(GenerationNodes.class)
class TextGenerationGrpcTest {
    @Inject
    NodeRegistry registry;
    ManagedChannel channel;
    TextGenerationGrpc.TextGenerationBlockingStub stub;

    @BeforeEach
    void connect() throws InterruptedException {
        GatewayTestSupport.awaitNodes(2);
        channel = GatewayTestSupport.grpcChannel();
        stub = TextGenerationGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static GenerateRequest.Builder request() {
        return GenerateRequest.newBuilder().setModel("tiny-lm").setPrompt("In the beginning");
    }

    @Test
    void chunksStreamAndTheLastCarriesUsage() {
        List<GenerateResponse> chunks = new ArrayList<>();
        stub.generate(request().setMaxTokens(7).build()).forEachRemaining(chunks::add);

        assertThat(chunks.stream().map(GenerateResponse::getText).reduce("", String::concat))
                .isEqualTo(OpenAiCompletionsTest.continuation(7));
        GenerateResponse last = chunks.get(chunks.size() - 1);
        assertThat(last.getFinishReason()).isEqualTo("length");
        assertThat(last.getUsage().getCompletionTokens()).isEqualTo(7);
        assertThat(last.getNodeId()).isEqualTo(GenerationNodes.SERVING);
    }

    @Test
    void refusalsCarryTheirStatus() {
        StatusRuntimeException badTemperature = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().setTemperature(5).build()).hasNext());
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().setModel("gpt-9").build()).hasNext());
        StatusRuntimeException tooLong = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().setPrompt("word ".repeat(80)).build()).hasNext());

        StatusRuntimeException blankModel = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().setModel(" ").build()).hasNext());

        assertThat(blankModel.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(blankModel.getStatus().getDescription()).isEqualTo("'model' must be a non-empty string");
        assertThat(badTemperature.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badTemperature.getStatus().getDescription()).contains("'temperature'");
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(tooLong.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(tooLong.getStatus().getDescription()).contains("'prompt' is");
    }

    @Test
    void cancellingTheCallEndsTheGatewaysCallToTheNode() throws Exception {
        // a prompt with "wait": the node streams one token, then holds the job until it is cancelled
        Context.CancellableContext call = Context.current().withCancellation();
        Iterator<GenerateResponse> chunks = call.call(() -> stub.generate(request().setPrompt("wait").build()));
        assertThat(chunks.next().getTokenIdsCount()).isEqualTo(1);
        assertThat(inFlightToServingNode()).isEqualTo(1);

        call.cancel(null);

        // the node would hold the stream for a minute; only the gateway cancelling its node call ends it sooner
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (inFlightToServingNode() != 0) {
            assertThat(Instant.now()).as("gateway's call to the node still open").isBefore(end);
            Thread.sleep(20);
        }
    }

    private RegisteredNode servingNode() {
        return registry.nodes().stream().filter(n -> n.id().equals(GenerationNodes.SERVING)).findFirst().orElseThrow();
    }

    @Test
    void aStreamGoesOnToItsEndWhenItsNodeDeregisters() throws Exception {
        // "slow": a token every 100 ms, so 20 tokens take 2 s after the node has left
        Iterator<GenerateResponse> chunks = stub.generate(request().setPrompt("slow").setMaxTokens(20).build());
        List<GenerateResponse> received = new ArrayList<>();
        received.add(chunks.next());
        RegisteredNode node = servingNode();

        NodeRegistryGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).deregister(
                DeregisterRequest.newBuilder().setNodeId(node.id()).setLeaseId(node.leaseId()).build());
        assertThat(registry.nodes()).doesNotContain(node);
        chunks.forEachRemaining(received::add);

        assertThat(received.stream().map(GenerateResponse::getText).reduce("", String::concat))
                .isEqualTo(OpenAiCompletionsTest.continuation(20));
        GenerateResponse last = received.get(received.size() - 1);
        assertThat(last.getFinishReason()).isEqualTo("length");
        assertThat(last.getUsage().getCompletionTokens()).isEqualTo(20);
        assertThat(last.getNodeId()).isEqualTo(GenerationNodes.SERVING);
        GatewayTestSupport.awaitNodes(2); // it registers again at its next heartbeat
    }

    @Test
    void aNodeUnavailableAfterChunksEndsTheStreamWithoutRetryAndIsEvicted() throws Exception {
        RegisteredNode before = servingNode();
        // "closing": two tokens, then the node's engine closes under the job (the node shutting down)
        Iterator<GenerateResponse> chunks = stub.generate(request().setPrompt("closing").setMaxTokens(20).build());
        List<GenerateResponse> received = new ArrayList<>();

        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
                () -> chunks.forEachRemaining(received::add));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(failure.getStatus().getDescription())
                .isEqualTo("node " + GenerationNodes.SERVING + " is shutting down: its generator stopped");
        assertThat(received.stream().mapToInt(GenerateResponse::getTokenIdsCount).sum())
                .isEqualTo(ScriptedLanguageModel.TOKENS_BEFORE_CLOSING);
        assertThat(registry.nodes()).as("node evicted").doesNotContain(before);
        GatewayTestSupport.awaitNodes(2);
    }

    private static int inFlightToServingNode() {
        List<Integer> inFlight = given().get("/admin/nodes").then().extract()
                .path("findAll { it.id == '" + GenerationNodes.SERVING + "' }.inFlight");
        return inFlight.get(0);
    }
}
