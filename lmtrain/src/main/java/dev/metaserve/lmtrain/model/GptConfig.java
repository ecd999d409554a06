package dev.metaserve.lmtrain.model;

/**
 * Shape of a GPT-style decoder (see the graph contract in models/README.md: pre-norm, learned positions, exact GELU, tied output head).
 *
 * @param name model name written into the ONNX metadata ({@code metaserve.lm.name})
 * @param vocabularySize token ids are {@code 0..vocabularySize-1}
 * @param contextLength C, the number of learned positions; every position id is below it
 * @param layers L, decoder blocks
 * @param heads H, attention heads; {@code dModel} must be a multiple of it
 * @param dModel d, the width of the residual stream; the MLP is {@code 4 d} wide
 */
public record GptConfig(String name, int vocabularySize, int contextLength, int layers, int heads, int dModel) {
    /** LayerNorm epsilon of every norm in the model. */
    public static final float LAYER_NORM_EPSILON = 1e-5f;

    public GptConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        if (vocabularySize < 257) {
            throw new IllegalArgumentException("vocabularySize must be at least 257 (bytes + end-of-text), got " + vocabularySize);
        }
        if (contextLength < 1 || layers < 1 || heads < 1 || dModel < 1) {
            throw new IllegalArgumentException("contextLength, layers, heads and dModel must be positive: " + contextLength
                    + ", " + layers + ", " + heads + ", " + dModel);
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel " + dModel + " is not a multiple of heads " + heads);
        }
    }

    /** The shipped target model: about 5.8M parameters. */
    public static GptConfig target(int vocabularySize) {
        return new GptConfig("target", vocabularySize, 256, 6, 8, 256);
    }

    /** The shipped draft model: under a tenth of the target's parameters. */
    public static GptConfig draft(int vocabularySize) {
        return new GptConfig("draft", vocabularySize, 256, 2, 2, 64);
    }

    /** The random-weight model the runtime's tests use. */
    public static GptConfig tiny(int vocabularySize) {
        return new GptConfig("tiny-lm", vocabularySize, 64, 2, 2, 32);
    }

    /** A preset by name: {@code target}, {@code draft} or {@code tiny}. */
    public static GptConfig preset(String preset, int vocabularySize) {
        return switch (preset) {
            case "target" -> target(vocabularySize);
            case "draft" -> draft(vocabularySize);
            case "tiny" -> tiny(vocabularySize);
            default -> throw new IllegalArgumentException("unknown model config '" + preset + "' (expected target, draft or tiny)");
        };
    }

    public int headDim() {
        return dModel / heads;
    }

    public int mlpWidth() {
        return 4 * dModel;
    }

    /** Parameters with the output head tied to the token embedding. */
    public long parameterCount() {
        long d = dModel;
        long perLayer = 2 * 2 * d                  // two LayerNorms
                + 4 * (d * d + d)                  // Q, K, V, O
                + (d * 4 * d + 4 * d) + (4 * d * d + d); // MLP
        return (long) vocabularySize * d + (long) contextLength * d + layers * perLayer + 2 * d;
    }
}
