package dev.metaserve.gateway.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.metaserve.api.DataType;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.inference.ModelMetadataResponse.TensorMetadata;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.gateway.api.ErrorMapping;
import dev.metaserve.gateway.api.JsonBodies;
import dev.metaserve.gateway.routing.InferenceRouter;
import dev.metaserve.gateway.telemetry.GatewayMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /v1/embeddings}: the texts go to an embedding model's node as one v2 request with a
 * BYTES input; the node pools and normalises, and this turns the rows back into OpenAI's shape.
 */
@Path("/v1/embeddings")
@Produces(MediaType.APPLICATION_JSON)
public class EmbeddingsResource {
    static final String TASK = "embedding";

    private final InferenceRouter router;
    private final GatewayMetrics metrics;
    private final ObjectMapper mapper;

    public EmbeddingsResource(InferenceRouter router, GatewayMetrics metrics, ObjectMapper mapper) {
        this.router = router;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<EmbeddingList> embed(byte[] body) {
        EmbeddingsRequest request;
        try {
            request = EmbeddingsRequest.parse(JsonBodies.parse(mapper, body));
        } catch (RuntimeException e) {
            return metrics.timed("openai.embeddings", "", "200", t -> Integer.toString(ErrorMapping.httpStatus(t)),
                    Uni.createFrom().failure(e));
        }
        return metrics.timed("openai.embeddings", request.model(), "200", t -> Integer.toString(ErrorMapping.httpStatus(t)),
                Uni.createFrom().deferred(() -> {
                    ModelDescriptor model = router.model(request.model());
                    if (!TASK.equals(model.getTask())) {
                        throw new InvalidRequestException("model '" + request.model() + "' does " + model.getTask()
                                + ", not embeddings");
                    }
                    return router.infer(toInfer(request, model), null).map(r -> toEmbeddings(request, r));
                }));
    }

    private static ModelInferRequest toInfer(EmbeddingsRequest request, ModelDescriptor model) {
        TensorMetadata input = model.getMetadata().getInputs(0);
        InferTensorContents.Builder texts = InferTensorContents.newBuilder();
        request.texts().forEach(t -> texts.addBytesContents(com.google.protobuf.ByteString.copyFromUtf8(t)));
        return ModelInferRequest.newBuilder()
                .setModelName(request.model())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName(input.getName())
                        .setDatatype(DataType.BYTES.name())
                        .addShape(request.texts().size())
                        .setContents(texts))
                .build();
    }

    private static EmbeddingList toEmbeddings(EmbeddingsRequest request, ModelInferResponse response) {
        ModelInferResponse.InferOutputTensor output = response.getOutputs(0);
        float[] flat = Tensors.floats(output.getContents(),
                response.getRawOutputContentsCount() > 0 ? response.getRawOutputContents(0) : com.google.protobuf.ByteString.EMPTY);
        int rows = request.texts().size();
        int dimension = flat.length / rows;
        List<Embedding> data = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            float[] vector = Arrays.copyOfRange(flat, i * dimension, (i + 1) * dimension);
            data.add(new Embedding("embedding", i, request.base64() ? base64(vector) : vector));
        }
        long tokens = response.getParametersOrDefault("prompt_tokens", InferParameter.getDefaultInstance()).getInt64Param();
        return new EmbeddingList("list", data, request.model(), new Usage(tokens, tokens));
    }

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    public record EmbeddingList(String object, List<Embedding> data, String model, Usage usage) {}

    /** {@code embedding} is a float array, or a base64 string of little-endian float32 when asked for. */
    public record Embedding(String object, int index, Object embedding) {}

    public record Usage(long prompt_tokens, long total_tokens) {}
}
