package dev.metaserve.bench.sweep;

import java.util.Map;

/**
 * The quality a plan gives up against the reference (fp32, no batching, plain decoding), on the store's scale: 0 is
 * none, positive is worse.
 */
final class QualityDelta {
    /** Embedding deltas are kept to this: float rounding (a batch padded otherwise) reads as no loss at all. */
    static final double EMBEDDING_RESOLUTION = 1e-6;

    private QualityDelta() {}

    /**
     * 1 - the mean cosine of each text's vector to its reference vector (both L2-normalised, as the node returns
     * them), rounded to {@value #EMBEDDING_RESOLUTION}.
     */
    static double embedding(Map<Integer, float[]> vectors, float[][] reference) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("no vectors to compare");
        }
        double sum = 0;
        for (Map.Entry<Integer, float[]> entry : vectors.entrySet()) {
            float[] a = entry.getValue();
            float[] b = reference[entry.getKey()];
            double dot = 0;
            for (int i = 0; i < a.length; i++) {
                dot += (double) a[i] * b[i];
            }
            sum += dot;
        }
        double delta = 1 - sum / vectors.size();
        double rounded = Math.round(delta / EMBEDDING_RESOLUTION) / (1 / EMBEDDING_RESOLUTION);
        return rounded == 0 ? 0.0 : rounded;
    }

    /**
     * The share of generated token positions where a decoding's greedy tokens differ from plain decoding's, a missing
     * token (one text ended sooner) counting as different.
     */
    static double tokens(Map<Integer, int[]> generated, int[][] reference) {
        if (generated.isEmpty()) {
            throw new IllegalArgumentException("no generations to compare");
        }
        long positions = 0;
        long different = 0;
        for (Map.Entry<Integer, int[]> entry : generated.entrySet()) {
            int[] a = entry.getValue();
            int[] b = reference[entry.getKey()];
            int length = Math.max(a.length, b.length);
            positions += length;
            for (int i = 0; i < length; i++) {
                if (i >= a.length || i >= b.length || a[i] != b[i]) {
                    different++;
                }
            }
        }
        return positions == 0 ? 0.0 : (double) different / positions;
    }
}
