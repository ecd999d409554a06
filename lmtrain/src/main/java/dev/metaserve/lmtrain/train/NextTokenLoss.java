package dev.metaserve.lmtrain.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/** Mean cross-entropy of the next token: labels {@code [B, T]} (int64), predictions the logits {@code [B, T, V]}. */
public final class NextTokenLoss extends Loss {
    public NextTokenLoss() {
        super("next_token_cross_entropy");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return negativeLogLikelihood(predictions.get(0), labels.get(0)).mean();
    }

    /** Per-token {@code -log p(label)}, shaped like the labels. */
    static NDArray negativeLogLikelihood(NDArray logits, NDArray labels) {
        return logits.logSoftmax(-1).gather(labels.expandDims(-1), -1).squeeze(-1).neg();
    }
}
