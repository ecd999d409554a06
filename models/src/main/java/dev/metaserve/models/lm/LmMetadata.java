package dev.metaserve.models.lm;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.metaserve.models.ModelLoadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an LM graph says about itself in its {@code metaserve.lm.*} metadata, checked against its inputs and outputs.
 *
 * @param headDim d_model / heads
 */
record LmMetadata(String name, int vocabularySize, int contextLength, int layers, int heads, int dModel,
                  int endOfTextId, int headDim) {
    private static final String PREFIX = "metaserve.lm.";

    static LmMetadata read(OrtSession session, String source) {
        try {
            Map<String, String> custom = session.getMetadata().getCustomMetadata();
            int layers = positive(custom, "layers", source);
            int heads = positive(custom, "heads", source);
            int dModel = positive(custom, "d_model", source);
            if (dModel % heads != 0) {
                throw new ModelLoadException(source + ": d_model " + dModel + " is not a multiple of heads " + heads,
                        null);
            }
            LmMetadata metadata = new LmMetadata(custom.getOrDefault(PREFIX + "name", source),
                    positive(custom, "vocab_size", source), positive(custom, "context_length", source), layers, heads,
                    dModel, integer(custom, "end_of_text_id", source), dModel / heads);
            metadata.checkNames(session.getInputInfo().keySet(), metadata.inputNames(), "inputs", source);
            metadata.checkNames(session.getOutputInfo().keySet(), metadata.outputNames(), "outputs", source);
            return metadata;
        } catch (OrtException e) {
            throw new ModelLoadException(source + ": could not read the graph's metadata: " + e.getMessage(), e);
        }
    }

    List<String> inputNames() {
        List<String> names = new ArrayList<>(List.of("input_ids", "position_ids", "attention_bias"));
        for (int i = 0; i < layers; i++) {
            names.add(pastKey(i));
            names.add(pastValue(i));
        }
        return names;
    }

    List<String> outputNames() {
        List<String> names = new ArrayList<>(List.of("logits"));
        for (int i = 0; i < layers; i++) {
            names.add(presentKey(i));
            names.add(presentValue(i));
        }
        return names;
    }

    static String pastKey(int layer) {
        return "past_key." + layer;
    }

    static String pastValue(int layer) {
        return "past_value." + layer;
    }

    static String presentKey(int layer) {
        return "present_key." + layer;
    }

    static String presentValue(int layer) {
        return "present_value." + layer;
    }

    private void checkNames(Set<String> actual, List<String> expected, String what, String source) {
        if (!new TreeSet<>(actual).equals(new TreeSet<>(expected))) {
            throw new ModelLoadException(source + ": the graph's " + what + " " + new TreeSet<>(actual)
                    + " are not the LM contract's " + new TreeSet<>(expected) + " for " + layers + " layers", null);
        }
    }

    private static int positive(Map<String, String> custom, String key, String source) {
        int value = integer(custom, key, source);
        if (value < 1) {
            throw new ModelLoadException(source + ": metadata " + PREFIX + key + " must be positive, was " + value, null);
        }
        return value;
    }

    private static int integer(Map<String, String> custom, String key, String source) {
        String text = custom.get(PREFIX + key);
        if (text == null) {
            throw new ModelLoadException(source + ": metadata " + PREFIX + key + " is missing (not an LM-contract graph?)",
                    null);
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ModelLoadException(source + ": metadata " + PREFIX + key + " is not an integer: '" + text + "'", e);
        }
    }
}
