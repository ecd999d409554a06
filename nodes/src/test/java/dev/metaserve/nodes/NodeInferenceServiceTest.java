package dev.metaserve.nodes;

import static dev.metaserve.nodes.InferRequests.MODEL;
import static dev.metaserve.nodes.InferRequests.textInput;
import static dev.metaserve.nodes.InferRequests.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.metaserve.accelerators.Batching;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
import dev.metaserve.models.Embeddings;
import dev.metaserve.models.ModelSpec;
import dev.metaserve.models.SentenceEncoder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The service over an in-process transport, with the real model. */
class NodeInferenceServiceTest {
    private static final int MAX_BATCH = 4;

    private static SentenceEncoder encoder;
    private static InferenceRunner runner;
    private static NodeServer server;
    private static ManagedChannel channel;
    private static NodeInferenceGrpc.NodeInferenceBlockingStub stub;

    @BeforeAll
    static void start() throws Exception {
        encoder = SentenceEncoder.load(1);
        EmbeddingModel model = EmbeddingModel.of(ModelSpec.ALL_MINILM_L6_V2, encoder.dimension(), MAX_BATCH,
                encoder::encode);
        runner = new InferenceRunner(model.embedder(), Batching.NONE, 1, 8, new NodeMetrics(new SimpleMeterRegistry()));
        String name = InProcessServerBuilder.generateName();
        server = new NodeServer(InProcessServerBuilder.forName(name),
                new NodeInferenceService("node-test", model, runner)).start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = NodeInferenceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow();
        server.shutdown();
        server.awaitTermination(Duration.ofSeconds(2));
        runner.shutdownNow();
        encoder.close();
    }

    private static NodeInferenceGrpc.NodeInferenceBlockingStub call() {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void inferReturnsTheEncodersEmbeddingsWithTokenCountAndNodeId() {
        List<String> input = List.of("The cat sits on the mat.", "Hello world", "A much longer sentence about dogs.");
        Embeddings expected = encoder.encode(input);

        ModelInferResponse response = call().infer(texts(input.toArray(String[]::new)));

        assertThat(response.getModelName()).isEqualTo(MODEL);
        assertThat(response.getModelVersion()).isEqualTo("1");
        assertThat(response.getId()).isEqualTo("req-1");
        assertThat(response.getOutputsCount()).isEqualTo(1);
        assertThat(response.getOutputs(0).getName()).isEqualTo("embedding");
        assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(response.getOutputs(0).getShapeList()).containsExactly(3L, 384L);
        float[][] vectors = InferRequests.vectors(response);
        for (int i = 0; i < vectors.length; i++) {
            assertThat(vectors[i]).containsExactly(expected.vectors()[i]);
        }
        assertThat(response.getParametersMap().get(NodeInferenceService.PROMPT_TOKENS).getInt64Param())
                .isEqualTo(expected.totalTokens());
        assertThat(response.getParametersMap().get(NodeInferenceService.NODE_ID).getStringParam())
                .isEqualTo("node-test");
    }

    @Test
    void rawInputContentsAreReadLikeTypedOnes() {
        ModelInferResponse typed = call().infer(texts("first text", "second text"));
        ModelInferResponse raw = call().infer(InferRequests.rawTexts("first text", "second text"));

        assertThat(raw.getRawOutputContents(0)).isEqualTo(typed.getRawOutputContents(0));
    }

    @Test
    void int8OnANodeWithoutATwinIsInvalidArgumentNamingWhatItRuns() {
        ModelInferRequest request = texts("x").toBuilder()
                .putParameters("precision", dev.metaserve.api.inference.InferParameter.newBuilder()
                        .setStringParam("int8").build())
                .build();
        io.grpc.StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.grpc.StatusRuntimeException.class, () -> call().infer(request));
        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("no int8 model").contains("[fp32]");
    }

    @Test
    void answeredRequestsShowInTheLoad() {
        long before = runner.load().getCompleted();

        call().infer(texts("counted"));

        assertThat(runner.load().getCompleted()).isEqualTo(before + 1);
        assertThat(runner.load().getRecentLatencyMs()).isPositive();
        // the worker counts the request out just after sending the answer
        Poll.until("nothing in flight", () -> runner.load().getInFlight() == 0);
        assertThat(runner.load().getQueueDepth()).isZero();
    }

    static Stream<Arguments> badRequests() {
        ModelInferRequest good = texts("a", "b");
        return Stream.of(
                Arguments.of("unknown model", good.toBuilder().setModelName("gpt-9").build(),
                        Status.Code.NOT_FOUND, "unknown model 'gpt-9'"),
                Arguments.of("unknown version", good.toBuilder().setModelVersion("7").build(),
                        Status.Code.NOT_FOUND, "version '7'"),
                Arguments.of("wrong input name", good.toBuilder().setInputs(0, textInput("a", "b").setName("txt")).build(),
                        Status.Code.INVALID_ARGUMENT, "unknown input 'txt'"),
                Arguments.of("wrong datatype", good.toBuilder().setInputs(0, textInput("a", "b").setDatatype("FP32")).build(),
                        Status.Code.INVALID_ARGUMENT, "datatype 'FP32'"),
                Arguments.of("wrong rank", good.toBuilder().setInputs(0, textInput("a", "b").addShape(1)).build(),
                        Status.Code.INVALID_ARGUMENT, "expected rank 1"),
                Arguments.of("data count not matching shape",
                        good.toBuilder().setInputs(0, textInput("a", "b").setShape(0, 3)).build(),
                        Status.Code.INVALID_ARGUMENT, "has 2 data elements but shape [3] needs 3"),
                Arguments.of("empty input", good.toBuilder().setInputs(0, textInput().setShape(0, 0)
                                .setContents(InferTensorContents.getDefaultInstance())).build(),
                        Status.Code.INVALID_ARGUMENT, "is empty"),
                Arguments.of("no inputs", good.toBuilder().clearInputs().build(),
                        Status.Code.INVALID_ARGUMENT, "request has no inputs"),
                Arguments.of("too many inputs", good.toBuilder().addInputs(textInput("c", "d").setName("more")).build(),
                        Status.Code.INVALID_ARGUMENT, "too many inputs"),
                Arguments.of("batch over max", texts("1", "2", "3", "4", "5"),
                        Status.Code.INVALID_ARGUMENT, "batch of 5, more than the maximum of " + MAX_BATCH),
                Arguments.of("unknown output", good.toBuilder().addOutputs(
                                ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("logits")).build(),
                        Status.Code.INVALID_ARGUMENT, "unknown output 'logits'"),
                Arguments.of("truncated raw contents", ModelInferRequest.newBuilder().setModelName(MODEL)
                                .addInputs(textInput().setShape(0, 1).setContents(InferTensorContents.getDefaultInstance()))
                                .addRawInputContents(ByteString.copyFrom(new byte[] {9, 0, 0, 0, 'a'})).build(),
                        Status.Code.INVALID_ARGUMENT, "declare an element of 9 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsAreRefusedWithAStatusNamingTheProblem(String problem, ModelInferRequest request,
                                                          Status.Code code, String description) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> call().infer(request));

        assertThat(e).as(problem).isNotNull();
        assertThat(e.getStatus().getCode()).as(problem).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).as(problem).contains(description);
    }
}
