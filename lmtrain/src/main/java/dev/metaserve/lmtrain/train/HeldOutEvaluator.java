package dev.metaserve.lmtrain.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.metaserve.lmtrain.model.AttentionBias;
import dev.metaserve.lmtrain.model.LanguageModel;

/**
 * Held-out perplexity: the stream is cut into consecutive, non-overlapping windows; every window predicts each of its
 * tokens from the ones before it in the window (so early tokens of a window see little context). Perplexity is
 * {@code exp(mean negative log-likelihood)} over all predicted tokens.
 */
public final class HeldOutEvaluator {
    /** @param tokens predicted tokens evaluated */
    public record Perplexity(double perplexity, double meanLoss, long tokens) {}

    private HeldOutEvaluator() {}

    /** @param maxTokens evaluate at most this many predicted tokens (from the start of the stream) */
    public static Perplexity evaluate(LanguageModel model, int[] stream, int windowLength, int batchSize, long maxTokens) {
        int windows = (int) Math.min((stream.length - 1) / windowLength, Math.max(1, maxTokens / windowLength));
        if (windows < 1) {
            throw new IllegalArgumentException("held-out stream of " + stream.length + " tokens is shorter than one window");
        }
        double totalLoss = 0;
        long counted = 0;
        try (NDManager shared = model.djlModel().getNDManager().newSubManager()) {
            NDArray bias = AttentionBias.causal(shared, windowLength);
            for (int first = 0; first < windows; first += batchSize) {
                int rows = Math.min(batchSize, windows - first);
                long[] inputs = new long[rows * windowLength];
                long[] labels = new long[rows * windowLength];
                for (int r = 0; r < rows; r++) {
                    int start = (first + r) * windowLength;
                    for (int i = 0; i < windowLength; i++) {
                        inputs[r * windowLength + i] = stream[start + i];
                        labels[r * windowLength + i] = stream[start + i + 1];
                    }
                }
                try (NDManager manager = shared.newSubManager()) {
                    Shape shape = new Shape(rows, windowLength);
                    NDList batch = new NDList(manager.create(inputs, shape),
                            manager.create(LmTrainer.positionIds(rows, windowLength), shape), bias);
                    NDArray logits = model.block().forward(new ParameterStore(manager, false), batch, false).singletonOrThrow();
                    totalLoss += NextTokenLoss.negativeLogLikelihood(logits, manager.create(labels, shape)).sum().getFloat();
                }
                counted += (long) rows * windowLength;
            }
        }
        double mean = totalLoss / counted;
        return new Perplexity(Math.exp(mean), mean, counted);
    }
}
