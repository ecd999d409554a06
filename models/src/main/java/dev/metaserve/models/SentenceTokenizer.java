package dev.metaserve.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The all-MiniLM-L6-v2 tokenizer on its own, for callers that feed the encoder's ONNX graph themselves (calibration,
 * benchmarks). Same settings as {@link SentenceEncoder}: special tokens added, truncation to the maximum length, padding
 * per batch. Owns one native tokenizer, released by {@link #close()}.
 */
public final class SentenceTokenizer implements AutoCloseable {
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;

    private SentenceTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Loads the tokenizer from the classpath.
     *
     * @param maxSequenceLength tokens per text, special tokens included; longer texts are truncated
     * @throws ModelLoadException when the resource is missing or unreadable
     */
    public static SentenceTokenizer load(int maxSequenceLength) {
        if (maxSequenceLength < 2 || maxSequenceLength > 512) {
            throw new IllegalArgumentException("maxSequenceLength must be in [2, 512], was " + maxSequenceLength);
        }
        return new SentenceTokenizer(loadNative(maxSequenceLength));
    }

    static HuggingFaceTokenizer loadNative(int maxSequenceLength) {
        // The shipped tokenizer.json pads and truncates to a fixed 128; we truncate to our limit and pad per batch.
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "padding", "false",
                "maxLength", Integer.toString(maxSequenceLength));
        try (InputStream in = SentenceTokenizer.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw new ModelLoadException("classpath resource " + TOKENIZER_RESOURCE + " not found", null);
            }
            return HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException e) {
            throw new ModelLoadException("could not read " + TOKENIZER_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Tokenizes the texts and pads them to the longest with attention mask 0.
     *
     * @throws IllegalArgumentException when {@code texts} is empty or holds null
     */
    public TokenizedBatch tokenize(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to tokenize");
        }
        for (String text : texts) {
            if (text == null) {
                throw new IllegalArgumentException("texts must not contain null");
            }
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batch = encodings.length;
        int[] counts = new int[batch];
        int sequence = 0;
        for (int i = 0; i < batch; i++) {
            counts[i] = encodings[i].getIds().length;
            sequence = Math.max(sequence, counts[i]);
        }
        long[] ids = new long[batch * sequence];
        long[] mask = new long[batch * sequence];
        long[] types = new long[batch * sequence];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(encodings[r].getIds(), 0, ids, r * sequence, counts[r]);
            System.arraycopy(encodings[r].getAttentionMask(), 0, mask, r * sequence, counts[r]);
            System.arraycopy(encodings[r].getTypeIds(), 0, types, r * sequence, counts[r]);
        }
        return new TokenizedBatch(batch, sequence, ids, mask, types, counts);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
