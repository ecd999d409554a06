package dev.metaserve.nodes.generation;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.generation.ContinuousBatchingGenerator;
import dev.metaserve.accelerators.generation.Generator;
import dev.metaserve.api.inference.ModelMetadataResponse;
import dev.metaserve.api.inference.ModelMetadataResponse.TensorMetadata;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.models.bpe.BpeTokenizer;
import java.util.EnumSet;
import java.util.Set;

/**
 * A language model as this node serves it: the name clients use, its tokenizer, the engine that generates (owned:
 * {@link #close()} closes it), the decodings it can run and the one of requests that name none.
 */
public record TextGenerationModel(String name, BpeTokenizer tokenizer, Generator generator, Set<DecodingKind> decodings,
                                  Decoding defaultDecoding) implements AutoCloseable {
    public static final String TASK = "text-generation";
    public static final String VERSION = "1";

    public TextGenerationModel {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        if (tokenizer == null || generator == null || defaultDecoding == null) {
            throw new IllegalArgumentException("tokenizer, generator and default decoding must not be null");
        }
        if (decodings == null || !decodings.contains(DecodingKind.PLAIN)) {
            throw new IllegalArgumentException("a model must at least run plain decoding, was " + decodings);
        }
        decodings = Set.copyOf(EnumSet.copyOf(decodings));
        if (!decodings.contains(DecodingKind.of(defaultDecoding))) {
            throw new IllegalArgumentException("default decoding " + defaultDecoding + " is not one this model runs "
                    + decodings);
        }
    }

    /** Most tokens of prompt plus completion. */
    public int contextLength() {
        return generator.contextLength();
    }

    /**
     * Jobs waiting to join the engine's running batch, if the engine tells ({@link ContinuousBatchingGenerator} or a
     * {@link QueuedGenerator}); else 0.
     */
    public int queueDepth() {
        if (generator instanceof QueuedGenerator queued) {
            return queued.queueDepth();
        }
        if (generator instanceof ContinuousBatchingGenerator engine) {
            return engine.queueDepth();
        }
        return 0;
    }

    public boolean canRun(Decoding decoding) {
        return decodings.contains(DecodingKind.of(decoding));
    }

    /** How the node announces this model to the gateway. */
    public ModelDescriptor descriptor() {
        ModelMetadataResponse metadata = ModelMetadataResponse.newBuilder()
                .setName(name)
                .addVersions(VERSION)
                .setPlatform("onnxruntime_onnx")
                .addInputs(TensorMetadata.newBuilder().setName("prompt").setDatatype("BYTES").addShape(1))
                .addOutputs(TensorMetadata.newBuilder().setName("text").setDatatype("BYTES").addShape(1))
                .build();
        ModelDescriptor.Builder descriptor = ModelDescriptor.newBuilder()
                .setMetadata(metadata)
                .setMaxBatchSize(1)
                .setTask(TASK)
                .setContextLength(contextLength());
        EnumSet.copyOf(decodings).forEach(kind -> descriptor.addDecodings(kind.advertised()));
        return descriptor.build();
    }

    @Override
    public void close() {
        generator.close();
    }
}
