package dev.metaserve.lmtrain.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Source of a teacher's logits for a batch of windows (distillation), computed without gradients. */
@FunctionalInterface
public interface TeacherLogits {
    /** Logits {@code [B, T, V]} for inputs {@code [B, T]}, owned by {@code manager}. */
    NDArray logits(NDManager manager, NDArray inputs);
}
