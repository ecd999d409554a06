package dev.metaserve.quant.calibration;

/**
 * What calibration saw of one activation tensor: its range and a histogram of magnitudes |x| with equal-width bins over
 * {@code [0, absMax]} (bin {@code i} covers {@code [i, i + 1) * binWidth}; |x| = absMax falls in the last bin).
 *
 * @param count values seen (also the histogram's total)
 */
public record TensorStatistics(String name, double min, double max, long count, long[] absHistogram) {
    /** Bins of the magnitude histogram TensorRT's entropy calibration uses. */
    public static final int DEFAULT_BINS = 2048;

    public double absMax() {
        return Math.max(Math.abs(min), Math.abs(max));
    }

    public double binWidth() {
        return absMax() / absHistogram.length;
    }

    /** Statistics of values held in memory (tests, small tensors). */
    public static TensorStatistics of(String name, float[] values, int bins) {
        StatisticsAccumulator accumulator = new StatisticsAccumulator(name, bins);
        accumulator.addRange(java.nio.FloatBuffer.wrap(values));
        accumulator.addHistogram(java.nio.FloatBuffer.wrap(values));
        return accumulator.toStatistics();
    }
}
