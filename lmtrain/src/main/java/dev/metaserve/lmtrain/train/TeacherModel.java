package dev.metaserve.lmtrain.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.metaserve.lmtrain.model.AttentionBias;
import dev.metaserve.lmtrain.model.LanguageModel;

/** A trained model as the teacher of a distillation: its logits on the student's windows, without gradients. */
public final class TeacherModel implements TeacherLogits {
    private final LanguageModel teacher;

    public TeacherModel(LanguageModel teacher) {
        this.teacher = teacher;
    }

    @Override
    public NDArray logits(NDManager manager, NDArray inputs) {
        Shape shape = inputs.getShape();
        int rows = (int) shape.get(0);
        int length = (int) shape.get(1);
        NDList batch = new NDList(inputs, manager.create(LmTrainer.positionIds(rows, length), shape),
                AttentionBias.causal(manager, length));
        return teacher.block().forward(new ParameterStore(manager, false), batch, false).singletonOrThrow().stopGradient();
    }
}
