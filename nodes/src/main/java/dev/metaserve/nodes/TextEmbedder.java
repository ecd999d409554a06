package dev.metaserve.nodes;

import dev.metaserve.models.Embeddings;
import java.util.List;

/** Turns texts into embeddings; {@code SentenceEncoder::encode} in production, a stand-in in tests. */
@FunctionalInterface
public interface TextEmbedder {
    Embeddings embed(List<String> texts);
}
