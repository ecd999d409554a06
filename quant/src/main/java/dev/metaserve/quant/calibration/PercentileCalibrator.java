package dev.metaserve.quant.calibration;

/**
 * Clips magnitudes at a percentile of |x| (default {@value #DEFAULT_PERCENTILE}): the smallest histogram bin edge below
 * which at least that share of the values lie. Rare outliers are saturated instead of stretching the step.
 */
public final class PercentileCalibrator implements Calibrator {
    public static final double DEFAULT_PERCENTILE = 99.999;

    private final double percentile;

    public PercentileCalibrator() {
        this(DEFAULT_PERCENTILE);
    }

    /** @param percentile in (0, 100] */
    public PercentileCalibrator(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + percentile);
        }
        this.percentile = percentile;
    }

    @Override
    public QuantParams calibrate(TensorStatistics statistics, ActivationType type) {
        return Calibrator.clipped(statistics, threshold(statistics), type);
    }

    /** The clip on |x|: upper edge of the bin where the cumulative count reaches the percentile. */
    public double threshold(TensorStatistics statistics) {
        long[] histogram = statistics.absHistogram();
        double wanted = statistics.count() * percentile / 100.0;
        long cumulative = 0;
        for (int i = 0; i < histogram.length; i++) {
            cumulative += histogram[i];
            if (cumulative >= wanted) {
                return (i + 1) * statistics.binWidth();
            }
        }
        return statistics.absMax();
    }

    @Override
    public String name() {
        return "percentile(" + percentile + ")";
    }
}
