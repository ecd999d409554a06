package dev.metaserve.gateway;

import static dev.metaserve.gateway.GatewayTestSupport.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.inference.GRPCInferenceServiceGrpc;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.inference.ModelMetadataRequest;
import dev.metaserve.api.inference.ModelReadyRequest;
import dev.metaserve.api.inference.ServerLiveRequest;
import dev.metaserve.api.inference.ServerMetadataRequest;
import dev.metaserve.api.inference.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InProcessNode.class)
class KServeGrpcTest {
    ManagedChannel channel;
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeEach
    void connect() throws InterruptedException {
        GatewayTestSupport.awaitNodes(1);
        channel = GatewayTestSupport.grpcChannel();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static ModelInferRequest.Builder textRequest(String model, String... texts) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (String t : texts) {
            contents.addBytesContents(ByteString.copyFromUtf8(t));
        }
        return ModelInferRequest.newBuilder().setModelName(model).setId("req-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("text").setDatatype("BYTES").addShape(texts.length).setContents(contents));
    }

    @Test
    void serverCallsAnswer() {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo("metaserve");
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName(MODEL).build()).getReady()).isTrue();
        assertThat(stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build()).getPlatform())
                .isEqualTo("onnxruntime_onnx");
    }

    @Test
    void inferWithTypedOrRawContentsGivesTheSameEmbeddings() {
        ModelInferResponse typed = stub.modelInfer(textRequest(MODEL, "one", "two").build());
        ModelInferRequest.Builder raw = textRequest(MODEL, "one", "two");
        raw.setInputs(0, raw.getInputs(0).toBuilder().clearContents())
                .addRawInputContents(Tensors.lengthPrefixed(List.of("one", "two")));
        ModelInferResponse fromRaw = stub.modelInfer(raw.build());

        assertThat(typed.getId()).isEqualTo("req-1");
        assertThat(typed.getOutputs(0).getShapeList()).containsExactly(2L, 384L);
        float[] a = Tensors.floats(typed.getOutputs(0).getContents(), typed.getRawOutputContents(0));
        float[] b = Tensors.floats(fromRaw.getOutputs(0).getContents(), fromRaw.getRawOutputContents(0));
        assertThat(a).hasSize(768).containsExactly(b);
    }

    @Test
    void unknownModelIsNotFound() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.modelInfer(textRequest("nope", "x").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).contains("unknown model 'nope'");
    }

    @Test
    void badInputsAreInvalidArgumentNamingTheProblem() {
        ModelInferRequest good = textRequest(MODEL, "x", "y").build();
        var input = good.getInputs(0);
        List<Object[]> cases = List.of(
                new Object[] {good.toBuilder().setInputs(0, input.toBuilder().setName("words")).build(), "unknown input 'words'"},
                new Object[] {good.toBuilder().setInputs(0, input.toBuilder().setDatatype("FP32")).build(), "datatype 'FP32'"},
                new Object[] {good.toBuilder().setInputs(0, input.toBuilder().clearShape().addShape(2).addShape(1)).build(), "rank"},
                new Object[] {good.toBuilder().setInputs(0, input.toBuilder().clearShape().addShape(5)).build(), "needs 5"},
                new Object[] {good.toBuilder().clearInputs().build(), "no inputs"},
                new Object[] {good.toBuilder().addInputs(input.toBuilder().setName("b")).build(), "too many inputs"},
                new Object[] {good.toBuilder().setInputs(0, input.toBuilder().clearShape().addShape(0).clearContents()).build(), "empty"},
                new Object[] {good.toBuilder().addRawInputContents(ByteString.copyFrom(new byte[] {9, 0, 0, 0, 1})).build(),
                        "declare an element of 9 bytes"});
        for (Object[] c : cases) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> stub.modelInfer((ModelInferRequest) c[0]));
            assertThat(e.getStatus().getCode()).as((String) c[1]).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains((String) c[1]);
        }
        assertThat(stub.modelInfer(good).getOutputsCount()).isEqualTo(1);
    }

    @Test
    void oversizeMessageIsResourceExhausted() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.modelInfer(textRequest(MODEL, "a".repeat(5 * 1024 * 1024)).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription()).contains("exceeds maximum size 4194304");
        assertThat(stub.modelInfer(textRequest(MODEL, "fine").build()).getOutputsCount()).isEqualTo(1);
    }
}
