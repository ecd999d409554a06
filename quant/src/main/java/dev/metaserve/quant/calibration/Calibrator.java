package dev.metaserve.quant.calibration;

/**
 * Turns what calibration saw of one activation tensor into its per-tensor scale and zero point. Implementations choose
 * the range to represent (all of it, a percentile, the KL-optimal clip); {@link QuantParams#forRange} fits the type.
 */
public interface Calibrator {
    QuantParams calibrate(TensorStatistics statistics, ActivationType type);

    /** How the method is named on the command line and in summaries. */
    String name();

    /** {@code [max(min, -threshold), min(max, threshold)]}: the observed range with magnitudes clipped at threshold. */
    static QuantParams clipped(TensorStatistics statistics, double threshold, ActivationType type) {
        return QuantParams.forRange(Math.max(statistics.min(), -threshold), Math.min(statistics.max(), threshold), type);
    }
}
