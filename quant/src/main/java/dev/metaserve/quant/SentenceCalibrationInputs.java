package dev.metaserve.quant;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.metaserve.models.SentenceTokenizer;
import dev.metaserve.models.TokenizedBatch;
import dev.metaserve.quant.calibration.CalibrationInputs;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calibration inputs for the sentence encoder: each sentence tokenized with the model's tokenizer and run on its own
 * (batch 1, so no padding positions enter the statistics). Feeds {@code input_ids}, {@code attention_mask} and, when the
 * model takes it, {@code token_type_ids}, as int64.
 */
public final class SentenceCalibrationInputs implements CalibrationInputs {
    private final List<TokenizedBatch> sentences;
    private final Set<String> modelInputs;

    /**
     * @param modelInputs the graph's input names; must include input_ids and attention_mask
     */
    public SentenceCalibrationInputs(List<String> sentences, int maxSequenceLength, Set<String> modelInputs) {
        if (sentences.isEmpty()) {
            throw new QuantizationException("no calibration sentences");
        }
        if (!modelInputs.contains("input_ids") || !modelInputs.contains("attention_mask")) {
            throw new QuantizationException("sentence calibration needs a model taking input_ids and attention_mask; "
                    + "this one takes " + modelInputs);
        }
        this.modelInputs = Set.copyOf(modelInputs);
        List<TokenizedBatch> tokenized = new ArrayList<>();
        try (SentenceTokenizer tokenizer = SentenceTokenizer.load(maxSequenceLength)) {
            for (String sentence : sentences) {
                tokenized.add(tokenizer.tokenize(List.of(sentence)));
            }
        }
        this.sentences = List.copyOf(tokenized);
    }

    private SentenceCalibrationInputs(List<TokenizedBatch> tokenized, Set<String> modelInputs) {
        this.sentences = List.copyOf(tokenized);
        this.modelInputs = Set.copyOf(modelInputs);
    }

    /** Inputs from sequences already tokenized, each a batch of one (e.g. transformed by {@link SentenceAugmentation}). */
    static SentenceCalibrationInputs ofTokens(List<TokenizedBatch> tokenized, Set<String> modelInputs) {
        if (tokenized.isEmpty()) {
            throw new QuantizationException("no calibration sentences");
        }
        return new SentenceCalibrationInputs(tokenized, modelInputs);
    }

    /** The tokenized sentences, each a batch of one. */
    List<TokenizedBatch> tokenized() {
        return sentences;
    }

    Set<String> modelInputs() {
        return modelInputs;
    }

    @Override
    public int size() {
        return sentences.size();
    }

    @Override
    public Map<String, OnnxTensor> feeds(int index, OrtEnvironment environment) throws OrtException {
        TokenizedBatch batch = sentences.get(index);
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            put(feeds, environment, "input_ids", batch.inputIds(), batch.shape());
            put(feeds, environment, "attention_mask", batch.attentionMask(), batch.shape());
            put(feeds, environment, "token_type_ids", batch.tokenTypeIds(), batch.shape());
            return feeds;
        } catch (OrtException | RuntimeException e) {
            feeds.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private void put(Map<String, OnnxTensor> feeds, OrtEnvironment environment, String name, long[] values, long[] shape)
            throws OrtException {
        if (modelInputs.contains(name)) {
            feeds.put(name, OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape));
        }
    }
}
