package dev.metaserve.quant.calibration;

import dev.metaserve.quant.QuantizationException;
import java.util.Locale;

/** The calibration methods the {@code quant} command offers, by their command-line names. */
public enum CalibrationMethod {
    MINMAX, PERCENTILE, ENTROPY,
    /**
     * MetaAug-style: a searched transformation of the calibration data, with a plain calibrator inside
     * ({@code dev.metaserve.quant.metaaug.MetaAugCalibration}); not a {@link Calibrator} on its own.
     */
    METAAUG;

    /**
     * @param percentile used by {@link #PERCENTILE} only
     * @throws QuantizationException for {@link #METAAUG}, which chooses calibration data rather than ranges: use
     *                               {@code Quantizer.quantizeMetaAug} with one of the other methods as the inner one
     */
    public Calibrator create(double percentile) {
        return switch (this) {
            case MINMAX -> new MinMaxCalibrator();
            case PERCENTILE -> new PercentileCalibrator(percentile);
            case ENTROPY -> new EntropyCalibrator();
            case METAAUG -> throw new QuantizationException(
                    "metaaug is not a calibrator on its own: it searches a transformation of the calibration data "
                    + "around an inner calibrator (minmax, percentile or entropy); use Quantizer.quantizeMetaAug");
        };
    }

    public String commandLineName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
