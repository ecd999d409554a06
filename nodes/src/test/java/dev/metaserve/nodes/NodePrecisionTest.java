package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One node with the fp32 encoder and its INT8 twin (the bundled anchor); requests choose with 'precision'. */
class NodePrecisionTest {
    private static final List<String> TEXTS = List.of("The cat sat on the mat.",
            "It is a truth universally acknowledged, that a single man in possession of a good fortune must be in want"
                    + " of a wife.", "In the beginning God created the heaven and the earth.");

    private static SentenceEncoder fp32;
    private static SentenceEncoder int8;
    private static InferenceRunner runner;
    private static NodeServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        fp32 = SentenceEncoder.load(1);
        int8 = Int8Twin.load(Int8Twin.ANCHOR, 1).orElseThrow();
        EmbeddingModel model = EmbeddingModel.of(ModelSpec.ALL_MINILM_L6_V2, fp32.dimension(), 8, fp32::encode);
        runner = new InferenceRunner(Map.of(Precision.FP32, model.embedder(), Precision.INT8, int8::encode),
                Plan.DEFAULT, 1, 16, new NodeMetrics(new SimpleMeterRegistry()));
        String name = InProcessServerBuilder.generateName();
        server = new NodeServer(InProcessServerBuilder.forName(name),
                new NodeInferenceService("node-precision", model, runner)).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow();
        server.shutdown();
        server.awaitTermination(Duration.ofSeconds(2));
        runner.shutdownNow();
        fp32.close();
        int8.close();
    }

    private static ModelInferResponse infer(String precision) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        TEXTS.forEach(t -> contents.addBytesContents(ByteString.copyFromUtf8(t)));
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("all-minilm-l6-v2")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("text").setDatatype("BYTES")
                        .addShape(TEXTS.size()).setContents(contents));
        if (precision != null) {
            request.putParameters("precision", InferParameter.newBuilder().setStringParam(precision).build());
        }
        return NodeInferenceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).infer(request.build());
    }

    @Test
    void int8RunsTheTwinAndStaysCloseToFp32() {
        ModelInferResponse full = infer(null);
        ModelInferResponse quantized = infer("int8");

        assertThat(full.getParametersOrThrow("precision").getStringParam()).isEqualTo("fp32");
        assertThat(quantized.getParametersOrThrow("precision").getStringParam()).isEqualTo("int8");
        float[] a = Tensors.floats(full.getRawOutputContents(0));
        float[] b = Tensors.floats(quantized.getRawOutputContents(0));
        assertThat(b).isNotEqualTo(a);
        for (int row = 0; row < TEXTS.size(); row++) {
            double dot = 0;
            for (int d = 0; d < 384; d++) {
                dot += a[row * 384 + d] * b[row * 384 + d];
            }
            assertThat(dot).as("cosine of row %d (unit vectors)", row).isGreaterThan(0.95);
        }
    }

    @Test
    void unknownPrecisionIsInvalidArgument() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> infer("int4"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("parameter 'precision'").contains("int4");
    }
}
