package dev.metaserve.lmtrain.parity;

import ai.onnxruntime.OrtException;
import dev.metaserve.lmtrain.model.AttentionBias;
import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.lmtrain.model.LanguageModel;
import dev.metaserve.lmtrain.onnx.LmMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Compares an exported ONNX decoder with the DJL model it came from, on a batch of two right-padded sequences of
 * different lengths: one full pass (past = 0), and incremental decoding (prefill, then one token per call with the KV
 * cache). Padding is expressed only through {@code attention_bias}; logits at padded positions are not compared.
 */
public final class ParityCheck {
    /** The tolerance the contract asks for. */
    public static final double TOLERANCE = 1e-4;
    private static final int PREFILL = 4;

    private ParityCheck() {}

    public static ParityReport run(LanguageModel model, Path onnx, long seed) throws OrtException {
        GptConfig config = model.config();
        int length = Math.min(16, config.contextLength());
        int[] lengths = {length, Math.max(PREFILL + 1, length - 5)};
        int batch = lengths.length;
        SplittableRandom random = new SplittableRandom(seed);
        long[] ids = new long[batch * length];
        long[] positions = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = t < lengths[b] ? random.nextInt(config.vocabularySize()) : 0;
                positions[b * length + t] = t;
            }
        }
        int vocabulary = config.vocabularySize();
        float[] expected = model.logits(ids, positions, AttentionBias.causalPadded(lengths, 0, length), batch, length);

        try (OrtDecoder decoder = new OrtDecoder(onnx, config.layers(), config.heads(), config.headDim())) {
            requireSameShape(config, decoder.metadata(), onnx);
            OrtDecoder.Step full = decoder.step(ids, positions, AttentionBias.causalPadded(lengths, 0, length), batch, length,
                    decoder.emptyCache(batch));
            double fullDifference = maxDifference(expected, full.logits(), lengths, length, 0, length, vocabulary);

            OrtDecoder.Step step = decoder.step(columns(ids, length, 0, PREFILL), columns(positions, length, 0, PREFILL),
                    AttentionBias.causalPadded(lengths, 0, PREFILL), batch, PREFILL, decoder.emptyCache(batch));
            double incrementalDifference = maxDifference(expected, step.logits(), lengths, length, 0, PREFILL, vocabulary);
            for (int t = PREFILL; t < length; t++) {
                step = decoder.step(columns(ids, length, t, 1), columns(positions, length, t, 1),
                        AttentionBias.causalPadded(lengths, t, 1), batch, 1, step.cache());
                incrementalDifference = Math.max(incrementalDifference,
                        maxDifference(expected, step.logits(), lengths, length, t, 1, vocabulary));
            }
            long compared = (long) (lengths[0] + lengths[1]) * vocabulary;
            return new ParityReport(fullDifference, incrementalDifference, compared);
        }
    }

    private static void requireSameShape(GptConfig config, Map<String, String> metadata, Path onnx) {
        Map<String, String> expected = LmMetadata.of(config);
        for (String key : List.of("vocab_size", "context_length", "layers", "heads", "d_model")) {
            String name = LmMetadata.PREFIX + key;
            if (!expected.get(name).equals(metadata.get(name))) {
                throw new IllegalArgumentException(onnx + " does not fit the model: " + name + " is " + metadata.get(name)
                        + ", the DJL model has " + expected.get(name));
            }
        }
    }

    /** Columns {@code [from, from + count)} of a row-major {@code [rows, width]} matrix. */
    static long[] columns(long[] matrix, int width, int from, int count) {
        int rows = matrix.length / width;
        long[] slice = new long[rows * count];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * width + from, slice, r * count, count);
        }
        return slice;
    }

    /**
     * Largest difference between {@code expected [B, length, V]} and {@code actual [B, count, V]} (positions
     * {@code from..from+count-1}), skipping padded positions.
     */
    static double maxDifference(float[] expected, float[] actual, int[] lengths, int length, int from, int count, int vocabulary) {
        double max = 0;
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < count; t++) {
                if (from + t >= lengths[b]) {
                    continue;
                }
                int expectedOffset = ((b * length) + from + t) * vocabulary;
                int actualOffset = ((b * count) + t) * vocabulary;
                for (int v = 0; v < vocabulary; v++) {
                    max = Math.max(max, Math.abs(expected[expectedOffset + v] - actual[actualOffset + v]));
                }
            }
        }
        return max;
    }
}
