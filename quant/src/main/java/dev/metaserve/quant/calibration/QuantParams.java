package dev.metaserve.quant.calibration;

/**
 * Per-tensor quantization of an activation: {@code q = saturate(round(x / scale) + zeroPoint)}.
 *
 * @param scale     positive
 * @param zeroPoint in [0, 255] for {@link ActivationType#UINT8}, 0 for {@link ActivationType#INT8}
 * @param clipLow   the lowest value represented (before rounding of the zero point)
 * @param clipHigh  the highest value represented
 */
public record QuantParams(float scale, int zeroPoint, ActivationType type, double clipLow, double clipHigh) {
    /**
     * Parameters covering {@code [low, high]}, widened to include 0 so that 0 is exact (padding, ReLU zeros).
     * UINT8: {@code scale = (high - low) / 255}, {@code zeroPoint = round(-low / scale)}. INT8: {@code scale = max(|low|, |high|) / 127},
     * zero point 0. A range of width 0 gets scale 1.
     */
    public static QuantParams forRange(double low, double high, ActivationType type) {
        if (Double.isNaN(low) || Double.isNaN(high) || low > high) {
            throw new IllegalArgumentException("invalid range [" + low + ", " + high + "]");
        }
        double lo = Math.min(low, 0);
        double hi = Math.max(high, 0);
        if (type == ActivationType.INT8) {
            double bound = Math.max(-lo, hi);
            float scale = bound == 0 ? 1f : (float) (bound / 127);
            return new QuantParams(scale, 0, type, -bound, bound);
        }
        if (hi == lo) {
            return new QuantParams(1f, 0, type, lo, hi);
        }
        float scale = (float) ((hi - lo) / 255);
        int zeroPoint = (int) Math.max(0, Math.min(255, Math.round(-lo / scale)));
        return new QuantParams(scale, zeroPoint, type, lo, hi);
    }
}
