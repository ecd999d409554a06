package dev.metaserve.selector.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a textual description of a task and its node into a vector (e.g. a sentence encoder's embedding). The
 * selector module only knows this interface; the MiniLM implementation lives with the commands, so the gateway does
 * not need ONNX Runtime to use a trained selector. Implementations must be deterministic: the same text gives the
 * same vector.
 */
@FunctionalInterface
public interface DescriptionEmbedder {

    float[] embed(String description);

    /** Embeds several texts; implementations that batch (a sentence encoder) override this. */
    default List<float[]> embedAll(List<String> descriptions) {
        List<float[]> vectors = new ArrayList<>(descriptions.size());
        for (String d : descriptions) {
            vectors.add(embed(d));
        }
        return vectors;
    }
}
