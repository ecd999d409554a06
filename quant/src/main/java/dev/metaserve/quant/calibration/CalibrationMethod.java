package dev.metaserve.quant.calibration;

import dev.metaserve.quant.QuantizationException;
import java.util.Locale;

/** The calibration methods the {@code quant} command offers, by their command-line names. */
public enum CalibrationMethod {
    MINMAX, PERCENTILE, ENTROPY,
    /** Meta-learned augmentation of the calibration set: a later step, refused for now. */
    METAAUG;

    /**
     * @param percentile used by {@link #PERCENTILE} only
     * @throws QuantizationException for {@link #METAAUG}, which is not implemented yet
     */
    public Calibrator create(double percentile) {
        return switch (this) {
            case MINMAX -> new MinMaxCalibrator();
            case PERCENTILE -> new PercentileCalibrator(percentile);
            case ENTROPY -> new EntropyCalibrator();
            case METAAUG -> throw new QuantizationException(
                    "calibration method metaaug is not implemented yet; use minmax, percentile or entropy");
        };
    }

    public String commandLineName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
