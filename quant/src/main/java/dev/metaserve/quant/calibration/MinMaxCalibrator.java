package dev.metaserve.quant.calibration;

/** The whole observed range: nothing is clipped, outliers stretch the step. */
public final class MinMaxCalibrator implements Calibrator {
    @Override
    public QuantParams calibrate(TensorStatistics statistics, ActivationType type) {
        return QuantParams.forRange(statistics.min(), statistics.max(), type);
    }

    @Override
    public String name() {
        return "minmax";
    }
}
