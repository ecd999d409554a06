package dev.metaserve.nodes;

import dev.metaserve.accelerators.generation.ContinuousBatchingGenerator;
import dev.metaserve.accelerators.generation.GenerationJob;
import dev.metaserve.accelerators.generation.TokenSink;
import dev.metaserve.models.lm.LmBundle;
import dev.metaserve.nodes.generation.DecodingKind;
import dev.metaserve.nodes.generation.QueuedGenerator;
import dev.metaserve.nodes.generation.TextGenerationModel;
import java.util.EnumSet;

/**
 * The language model shipped in the models jar (target, draft and tokenizer trained by {@code lmtrain} on Austen and
 * the KJV), on the real engine: continuous batching over ONNX Runtime, with plain, draft and n-gram decoding.
 */
final class BundledLanguageModel {
    /** The name clients ask for. */
    static final String NAME = "austen-kjv";

    private BundledLanguageModel() {}

    static TextGenerationModel load(NodeSettings settings) {
        LmBundle bundle = LmBundle.loadBundled(settings.intraOpThreads());
        try {
            ContinuousBatchingGenerator engine = bundle.newGenerator(
                    new ContinuousBatchingGenerator.Settings(settings.maxBatchSize(), settings.queueCapacity()));
            return new TextGenerationModel(NAME, bundle.tokenizer(), new OwningGenerator(engine, bundle),
                    EnumSet.allOf(DecodingKind.class), settings.decoding());
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** The engine, closing the ONNX sessions it runs on after itself. */
    private record OwningGenerator(ContinuousBatchingGenerator engine, LmBundle bundle) implements QueuedGenerator {
        @Override
        public Cancellable submit(GenerationJob job, TokenSink sink) {
            return engine.submit(job, sink);
        }

        @Override
        public int contextLength() {
            return engine.contextLength();
        }

        @Override
        public int queueDepth() {
            return engine.queueDepth();
        }

        @Override
        public void close() {
            try {
                engine.close();
            } finally {
                bundle.close();
            }
        }
    }
}
