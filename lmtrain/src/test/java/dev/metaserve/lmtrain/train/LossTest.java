package dev.metaserve.lmtrain.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.metaserve.lmtrain.model.LanguageModel;
import org.junit.jupiter.api.Test;

class LossTest {
    @Test
    void crossEntropyIsMinusLogOfTheLabelsProbability() {
        LanguageModel.engine();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = manager.create(new float[] {0, 0, (float) Math.log(2)}, new Shape(1, 1, 3));
            NDArray labels = manager.create(new long[] {2}, new Shape(1, 1));
            float loss = new NextTokenLoss().evaluate(new NDList(labels), new NDList(logits)).getFloat();
            assertThat(loss).isCloseTo((float) -Math.log(0.5), offset(1e-6f));
        }
    }

    @Test
    void distillationIsCrossEntropyPlusKlByWeight() {
        LanguageModel.engine();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray student = manager.create(new float[] {0, 0, (float) Math.log(2)}, new Shape(1, 1, 3));
            NDArray labels = manager.create(new long[] {2}, new Shape(1, 1));
            NDArray teacherSame = student.duplicate();
            NDArray teacherOther = manager.create(new float[] {0, 0, 0}, new Shape(1, 1, 3));

            float onlyKlSame = new DistillationLoss(1f).evaluate(new NDList(labels, teacherSame), new NDList(student)).getFloat();
            float onlyCe = new DistillationLoss(0f).evaluate(new NDList(labels, teacherOther), new NDList(student)).getFloat();
            float onlyKlOther = new DistillationLoss(1f).evaluate(new NDList(labels, teacherOther), new NDList(student)).getFloat();

            assertThat(onlyKlSame).isCloseTo(0f, offset(1e-6f));
            assertThat(onlyCe).isCloseTo((float) -Math.log(0.5), offset(1e-6f));
            // KL(uniform || (1/4, 1/4, 1/2)) = sum 1/3 log((1/3) / q)
            double expected = (2 * Math.log((1.0 / 3) / 0.25) + Math.log((1.0 / 3) / 0.5)) / 3;
            assertThat(onlyKlOther).isCloseTo((float) expected, offset(1e-6f));
        }
    }
}
