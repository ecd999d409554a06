package dev.metaserve.nodes;

import dev.metaserve.api.inference.ModelMetadataResponse;
import dev.metaserve.api.inference.ModelMetadataResponse.TensorMetadata;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.models.ModelSpec;

/**
 * An embedding model as this node serves it: the v2 metadata clients see, the largest batch one request may carry,
 * and what computes the vectors. Input "text" is BYTES of shape [-1]; output "embedding" is FP32 [-1, dimension].
 */
public record EmbeddingModel(ModelMetadataResponse metadata, int maxBatchSize, int dimension, TextEmbedder embedder) {
    public static final String INPUT = "text";
    public static final String OUTPUT = "embedding";
    public static final String TASK = "embedding";

    public EmbeddingModel {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
        }
    }

    public static EmbeddingModel of(ModelSpec spec, int dimension, int maxBatchSize, TextEmbedder embedder) {
        ModelMetadataResponse metadata = ModelMetadataResponse.newBuilder()
                .setName(spec.name())
                .addVersions(spec.version())
                .setPlatform(spec.platform())
                .addInputs(TensorMetadata.newBuilder().setName(INPUT).setDatatype("BYTES").addShape(-1))
                .addOutputs(TensorMetadata.newBuilder().setName(OUTPUT).setDatatype("FP32")
                        .addShape(-1).addShape(dimension))
                .build();
        return new EmbeddingModel(metadata, maxBatchSize, dimension, embedder);
    }

    public String name() {
        return metadata.getName();
    }

    /** The one version served. */
    public String version() {
        return metadata.getVersions(0);
    }

    /** How the node announces this model to the gateway. */
    public ModelDescriptor descriptor() {
        return ModelDescriptor.newBuilder().setMetadata(metadata).setMaxBatchSize(maxBatchSize).setTask(TASK).build();
    }
}
