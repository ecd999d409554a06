package dev.metaserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingAgreementTest {
    private static float[] unit(double angle) {
        return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
    }

    @Test
    void nearestNeighboursAreRankedByCosineAndExcludeTheQuery() {
        float[][] vectors = {unit(0), unit(0.1), unit(0.3), unit(1.0), unit(0.05)};

        int[][] neighbours = EmbeddingAgreement.nearestNeighbours(vectors, 2, 2);

        assertThat(neighbours[0]).containsExactly(4, 1);
        assertThat(neighbours[1]).containsExactly(4, 0);
    }

    @Test
    void overlapIsTheSharedShareIgnoringOrder() {
        assertThat(EmbeddingAgreement.overlap(new int[] {1, 2, 3, 4}, new int[] {4, 3, 9, 8})).isEqualTo(0.5);
        assertThat(EmbeddingAgreement.meanOverlap(new int[][] {{1, 2}, {3, 4}}, new int[][] {{2, 1}, {5, 6}}))
                .isEqualTo(0.5);
        assertThatThrownBy(() -> EmbeddingAgreement.overlap(new int[] {1}, new int[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorIsOneMinusMeanCosine() {
        double[] cosines = EmbeddingAgreement.cosines(new float[][] {unit(0), unit(0)},
                new float[][] {unit(0), unit(Math.PI / 2)});

        assertThat(cosines).containsExactly(new double[] {1.0, 0.0}, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(EmbeddingAgreement.meanError(cosines)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void medianOfEvenCountAveragesTheMiddlePair() {
        assertThat(EncoderLatency.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(EncoderLatency.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    }

    @Test
    void heldOutAndCalibrationSentencesAreShippedAndDisjoint() {
        var heldOut = Sentences.austenHeldOut();
        var calibration = Sentences.kjvCalibration();

        assertThat(heldOut).hasSize(3000).doesNotContainAnyElementsOf(Sentences.bundled());
        assertThat(calibration).hasSize(600).doesNotContainAnyElementsOf(heldOut);
    }
}
