package dev.metaserve.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityDeltaTest {
    @Test
    void embeddingDeltaIsOneMinusTheMeanCosineAndFloatRoundingReadsAsNone() {
        float[][] reference = {{1, 0}, {0, 1}};
        float s = (float) Math.sqrt(0.5);

        assertThat(QualityDelta.embedding(Map.of(0, new float[] {1, 0}, 1, new float[] {s, s}), reference))
                .isEqualTo((1 - Math.sqrt(0.5)) / 2, offset(1e-6));
        assertThat(QualityDelta.embedding(Map.of(0, new float[] {1, 1e-5f}), reference)).isZero();
    }

    @Test
    void tokenDeltaCountsDifferingAndMissingPositions() {
        int[][] reference = {{1, 2, 3, 4}, {5, 6}};

        assertThat(QualityDelta.tokens(Map.of(0, new int[] {1, 2, 3, 4}, 1, new int[] {5, 6}), reference)).isZero();
        assertThat(QualityDelta.tokens(Map.of(0, new int[] {1, 9, 3}), reference)).isEqualTo(0.5);
    }
}
