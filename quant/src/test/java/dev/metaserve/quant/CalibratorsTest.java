package dev.metaserve.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.CalibrationMethod;
import dev.metaserve.quant.calibration.EntropyCalibrator;
import dev.metaserve.quant.calibration.MinMaxCalibrator;
import dev.metaserve.quant.calibration.PercentileCalibrator;
import dev.metaserve.quant.calibration.QuantParams;
import dev.metaserve.quant.calibration.TensorStatistics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibratorsTest {
    @Test
    void minMaxUint8UsesTheWholeRangeAndPutsZeroOnALevel() {
        TensorStatistics stats = TensorStatistics.of("x", new float[] {-1.0f, 0.5f, 3.0f}, 2048);

        QuantParams params = new MinMaxCalibrator().calibrate(stats, ActivationType.UINT8);

        assertThat(params.scale()).isEqualTo((float) (4.0 / 255));
        assertThat(params.zeroPoint()).isEqualTo(Math.round(1.0 / (4.0 / 255))); // 64
        assertThat(params.type()).isEqualTo(ActivationType.UINT8);
    }

    @Test
    void minMaxInt8IsSymmetricAroundZero() {
        TensorStatistics stats = TensorStatistics.of("x", new float[] {-1.0f, 0.5f, 3.0f}, 2048);

        QuantParams params = new MinMaxCalibrator().calibrate(stats, ActivationType.INT8);

        assertThat(params.scale()).isEqualTo((float) (3.0 / 127));
        assertThat(params.zeroPoint()).isZero();
    }

    @Test
    void rangeIsWidenedToIncludeZero() {
        TensorStatistics stats = TensorStatistics.of("x", new float[] {2.0f, 5.1f}, 2048);

        QuantParams params = new MinMaxCalibrator().calibrate(stats, ActivationType.UINT8);

        assertThat(params.scale()).isEqualTo((float) (5.1 / 255));
        assertThat(params.zeroPoint()).isZero();
    }

    @Test
    void percentileClipsAPlantedOutlier() {
        float[] values = uniform(100_000, 1.0f, 1);
        values[0] = 50f; // one value in 100,000: beyond the 99.99th percentile of |x|

        TensorStatistics stats = TensorStatistics.of("x", values, 2048);
        double threshold = new PercentileCalibrator(99.99).threshold(stats);
        QuantParams params = new PercentileCalibrator(99.99).calibrate(stats, ActivationType.UINT8);

        assertThat(threshold).isBetween(0.99, 1.0 + stats.binWidth() * 2);
        assertThat(params.scale()).isCloseTo((float) (2.0 / 255), within(0.05f / 255));
        assertThat(new MinMaxCalibrator().calibrate(stats, ActivationType.UINT8).scale()).isCloseTo(51f / 255, within(0.02f / 255));
    }

    @Test
    void entropyClipsALongThinTailButKeepsTheBulk() {
        Random random = new Random(3);
        float[] values = new float[200_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian(); // bulk within about +-4
        }
        for (int i = 0; i < 20; i++) {
            values[i] = 30f + i; // a long thin tail to 49
        }
        TensorStatistics stats = TensorStatistics.of("x", values, 2048);

        double threshold = new EntropyCalibrator().threshold(stats);

        assertThat(threshold).isLessThan(stats.absMax() / 4); // the tail is clipped
        assertThat(threshold).isGreaterThan(2.5);             // 98.8% of a standard normal lies within it
    }

    @Test
    void entropyKeepsTheWholeRangeWhenThereIsNoTail() {
        TensorStatistics stats = TensorStatistics.of("x", uniform(100_000, 1.0f, 5), 2048);

        double threshold = new EntropyCalibrator().threshold(stats);

        assertThat(threshold).isGreaterThan(0.9);
    }

    @Test
    void metaAugIsNotAPlainCalibratorAndPointsToItsOwnPath() {
        assertThatThrownBy(() -> CalibrationMethod.METAAUG.create(99.99))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("metaaug is not a calibrator on its own")
                .hasMessageContaining("quantizeMetaAug");
    }

    private static float[] uniform(int count, float bound, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return values;
    }
}
