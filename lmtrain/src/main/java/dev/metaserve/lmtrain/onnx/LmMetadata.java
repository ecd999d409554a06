package dev.metaserve.lmtrain.onnx;

import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.models.bpe.BpeTokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/** The model metadata_props of the contract (all values are strings). */
public final class LmMetadata {
    public static final String PREFIX = "metaserve.lm.";

    private LmMetadata() {}

    public static Map<String, String> of(GptConfig config) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(PREFIX + "vocab_size", Integer.toString(config.vocabularySize()));
        metadata.put(PREFIX + "context_length", Integer.toString(config.contextLength()));
        metadata.put(PREFIX + "layers", Integer.toString(config.layers()));
        metadata.put(PREFIX + "heads", Integer.toString(config.heads()));
        metadata.put(PREFIX + "d_model", Integer.toString(config.dModel()));
        metadata.put(PREFIX + "end_of_text_id", Integer.toString(BpeTokenizer.END_OF_TEXT_ID));
        metadata.put(PREFIX + "name", config.name());
        return metadata;
    }
}
