package dev.metaserve.lmtrain.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.metaserve.lmtrain.model.AttentionBias;
import dev.metaserve.lmtrain.model.LanguageModel;

/**
 * How often a draft's most likely next token equals the target's, over held-out windows (the same windows as
 * {@link HeldOutEvaluator}): the acceptance rate of greedy speculative decoding, token by token.
 */
public final class GreedyAgreement {
    private GreedyAgreement() {}

    /** @return the share of predicted positions where both models' argmax agree */
    public static double measure(LanguageModel draft, LanguageModel target, int[] stream, int windowLength, int batchSize,
                                 long maxTokens) {
        int windows = (int) Math.min((stream.length - 1) / windowLength, Math.max(1, maxTokens / windowLength));
        long agreeing = 0;
        long counted = 0;
        try (NDManager shared = draft.djlModel().getNDManager().newSubManager()) {
            NDArray bias = AttentionBias.causal(shared, windowLength);
            for (int first = 0; first < windows; first += batchSize) {
                int rows = Math.min(batchSize, windows - first);
                long[] inputs = new long[rows * windowLength];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < windowLength; i++) {
                        inputs[r * windowLength + i] = stream[(first + r) * windowLength + i];
                    }
                }
                try (NDManager manager = shared.newSubManager()) {
                    Shape shape = new Shape(rows, windowLength);
                    NDList batch = new NDList(manager.create(inputs, shape),
                            manager.create(LmTrainer.positionIds(rows, windowLength), shape), bias);
                    NDArray draftChoice = draft.block().forward(new ParameterStore(manager, false), batch, false)
                            .singletonOrThrow().argMax(-1);
                    NDArray targetChoice = target.block().forward(new ParameterStore(manager, false), batch, false)
                            .singletonOrThrow().argMax(-1);
                    agreeing += draftChoice.eq(targetChoice).sum().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
                }
                counted += (long) rows * windowLength;
            }
        }
        return (double) agreeing / counted;
    }
}
