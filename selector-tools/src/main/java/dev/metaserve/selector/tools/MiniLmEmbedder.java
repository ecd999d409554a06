package dev.metaserve.selector.tools;

import dev.metaserve.models.SentenceEncoder;
import dev.metaserve.selector.features.DescriptionEmbedder;
import java.util.List;

/** Descriptions embedded by all-MiniLM-L6-v2 (384 dimensions), as MetaInf embeds them with a language model. */
final class MiniLmEmbedder implements DescriptionEmbedder, AutoCloseable {
    private final SentenceEncoder encoder;

    MiniLmEmbedder(int intraOpThreads) {
        this.encoder = SentenceEncoder.load(intraOpThreads);
    }

    @Override
    public float[] embed(String description) {
        return encoder.encode(List.of(description)).vectors()[0];
    }

    @Override
    public List<float[]> embedAll(List<String> descriptions) {
        if (descriptions.isEmpty()) {
            return List.of();
        }
        return List.of(encoder.encode(descriptions).vectors());
    }

    @Override
    public void close() {
        encoder.close();
    }
}
