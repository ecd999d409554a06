package dev.metaserve.lmtrain.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Knowledge distillation: {@code (1 - w) * CE(labels) + w * KL(teacher || student)} per token, averaged. Labels are
 * (next-token ids {@code [B, T]}, teacher logits {@code [B, T, V]}); the KL term pulls the student's distribution onto the
 * teacher's, which is what speculative decoding rewards (accepted draft tokens).
 */
public final class DistillationLoss extends Loss {
    private final float distillationWeight;

    /** @param distillationWeight share of the KL term, in [0, 1] */
    public DistillationLoss(float distillationWeight) {
        super("distillation");
        if (!(distillationWeight >= 0 && distillationWeight <= 1)) {
            throw new IllegalArgumentException("distillation weight must be in [0, 1], got " + distillationWeight);
        }
        this.distillationWeight = distillationWeight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray studentLog = predictions.get(0).logSoftmax(-1);
        NDArray crossEntropy = studentLog.gather(labels.get(0).expandDims(-1), -1).squeeze(-1).neg();
        NDArray teacherLog = labels.get(1).logSoftmax(-1);
        NDArray kl = teacherLog.exp().mul(teacherLog.sub(studentLog)).sum(new int[] {-1});
        return crossEntropy.mul(1 - distillationWeight).add(kl.mul(distillationWeight)).mean();
    }
}
