package dev.metaserve.nodes;

import com.google.protobuf.ByteString;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferRequest.InferInputTensor;
import dev.metaserve.api.inference.ModelInferResponse;
import java.util.List;

/** Requests and response readers shared by the node tests. */
final class InferRequests {
    static final String MODEL = "all-minilm-l6-v2";

    private InferRequests() {}

    static ModelInferRequest texts(String... texts) {
        return ModelInferRequest.newBuilder()
                .setModelName(MODEL)
                .setId("req-1")
                .addInputs(textInput(texts))
                .build();
    }

    static ModelInferRequest rawTexts(String... texts) {
        return ModelInferRequest.newBuilder()
                .setModelName(MODEL)
                .addInputs(InferInputTensor.newBuilder().setName("text").setDatatype("BYTES").addShape(texts.length))
                .addRawInputContents(Tensors.lengthPrefixed(List.of(texts)))
                .build();
    }

    static InferInputTensor.Builder textInput(String... texts) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (String text : texts) {
            contents.addBytesContents(ByteString.copyFromUtf8(text));
        }
        return InferInputTensor.newBuilder().setName("text").setDatatype("BYTES").addShape(texts.length)
                .setContents(contents);
    }

    /** The response's embedding rows. */
    static float[][] vectors(ModelInferResponse response) {
        float[] flat = Tensors.floats(response.getRawOutputContents(0));
        int rows = (int) response.getOutputs(0).getShape(0);
        int dimension = (int) response.getOutputs(0).getShape(1);
        float[][] out = new float[rows][dimension];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * dimension, out[i], 0, dimension);
        }
        return out;
    }
}
