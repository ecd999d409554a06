package dev.metaserve.quant.calibration;

import java.nio.FloatBuffer;

/**
 * Builds {@link TensorStatistics} in two passes over the same data: {@link #addRange} for every batch (min, max), then
 * {@link #addHistogram} for every batch (magnitudes binned over the range of the first pass). Not thread-safe.
 */
public final class StatisticsAccumulator {
    private final String name;
    private final long[] histogram;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long count;
    private long histogramCount;

    public StatisticsAccumulator(String name, int bins) {
        if (bins < 128) {
            throw new IllegalArgumentException("at least 128 histogram bins are needed, was " + bins);
        }
        this.name = name;
        this.histogram = new long[bins];
    }

    /** First pass: the range. NaN values are counted as neither. */
    public void addRange(FloatBuffer values) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = values.position(); i < values.limit(); i++) {
            float v = values.get(i);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        min = Math.min(min, lo);
        max = Math.max(max, hi);
        count += values.remaining();
    }

    /** Second pass: the magnitude histogram over {@code [0, max(|min|, |max|)]} of the first pass; values beyond it go to the last bin. */
    public void addHistogram(FloatBuffer values) {
        if (count == 0) {
            throw new IllegalStateException("addRange must see the data before addHistogram");
        }
        double absMax = Math.max(Math.abs(min), Math.abs(max));
        int last = histogram.length - 1;
        double perUnit = absMax == 0 ? 0 : histogram.length / absMax;
        for (int i = values.position(); i < values.limit(); i++) {
            int bin = (int) (Math.abs(values.get(i)) * perUnit);
            histogram[Math.min(bin, last)]++;
        }
        histogramCount += values.remaining();
    }

    public TensorStatistics toStatistics() {
        if (count == 0) {
            throw new IllegalStateException("no values seen for " + name);
        }
        if (histogramCount != count) {
            throw new IllegalStateException(name + ": histogram saw " + histogramCount + " values, range pass " + count);
        }
        return new TensorStatistics(name, min, max, count, histogram.clone());
    }
}
