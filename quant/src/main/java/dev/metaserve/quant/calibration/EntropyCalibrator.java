package dev.metaserve.quant.calibration;

/**
 * TensorRT's entropy calibration: among clip thresholds {@code i * binWidth} for {@code i} from
 * {@value #QUANTIZED_BINS} to the number of bins, choose the one minimising KL(P || Q), where P is the magnitude
 * histogram cut at {@code i} with the clipped tail folded into its last bin, and Q is the first {@code i} bins merged
 * into {@value #QUANTIZED_BINS} levels and spread back over their non-empty bins. A long thin tail is clipped; the bulk,
 * where most values lie, keeps fine steps.
 */
public final class EntropyCalibrator implements Calibrator {
    /** Magnitude levels of an 8-bit code (one sign of int8). */
    public static final int QUANTIZED_BINS = 128;

    @Override
    public QuantParams calibrate(TensorStatistics statistics, ActivationType type) {
        return Calibrator.clipped(statistics, threshold(statistics), type);
    }

    /** The KL-optimal clip on |x|. */
    public double threshold(TensorStatistics statistics) {
        long[] histogram = statistics.absHistogram();
        int bins = histogram.length;
        long total = statistics.count();
        if (total == 0 || statistics.absMax() == 0) {
            return statistics.absMax();
        }
        double[] suffix = new double[bins + 1];
        for (int i = bins - 1; i >= 0; i--) {
            suffix[i] = suffix[i + 1] + histogram[i];
        }
        int best = bins;
        double bestDivergence = Double.POSITIVE_INFINITY;
        double[] expanded = new double[bins];
        for (int i = QUANTIZED_BINS; i <= bins; i++) {
            double divergence = divergence(histogram, i, suffix, total, expanded);
            if (divergence < bestDivergence) {
                bestDivergence = divergence;
                best = i;
            }
        }
        return best * statistics.binWidth();
    }

    /** KL(P || Q) for the clip at bin {@code cut}. */
    private static double divergence(long[] histogram, int cut, double[] suffix, long total, double[] expanded) {
        double perLevel = (double) cut / QUANTIZED_BINS;
        double keptMass = 0;
        for (int level = 0; level < QUANTIZED_BINS; level++) {
            int start = (int) Math.floor(level * perLevel);
            int end = level == QUANTIZED_BINS - 1 ? cut : (int) Math.floor((level + 1) * perLevel);
            double sum = 0;
            int nonEmpty = 0;
            for (int k = start; k < end; k++) {
                sum += histogram[k];
                if (histogram[k] != 0) {
                    nonEmpty++;
                }
            }
            keptMass += sum;
            double share = nonEmpty == 0 ? 0 : sum / nonEmpty;
            for (int k = start; k < end; k++) {
                expanded[k] = histogram[k] == 0 ? 0 : share;
            }
        }
        double divergence = 0;
        for (int k = 0; k < cut; k++) {
            double p = histogram[k] + (k == cut - 1 ? suffix[cut] : 0);
            if (p == 0) {
                continue;
            }
            p /= total;
            double q = keptMass == 0 ? 0 : expanded[k] / keptMass;
            divergence += p * Math.log(p / Math.max(q, 1e-12));
        }
        return divergence;
    }

    @Override
    public String name() {
        return "entropy";
    }
}
