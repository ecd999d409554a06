package dev.metaserve.models;

/**
 * One embedding per input text, in input order.
 *
 * @param vectors     L2-normalised vectors, {@code vectors[i].length == dimension}
 * @param tokenCounts tokens each text was encoded to, special tokens included, after truncation
 */
public record Embeddings(float[][] vectors, int[] tokenCounts) {
    public int size() {
        return vectors.length;
    }

    /** Sum of {@link #tokenCounts()}. */
    public long totalTokens() {
        long total = 0;
        for (int count : tokenCounts) {
            total += count;
        }
        return total;
    }

    /** The vectors one after another, row-major {@code [size, dimension]}. */
    public float[] flatten() {
        int dimension = vectors.length == 0 ? 0 : vectors[0].length;
        float[] flat = new float[vectors.length * dimension];
        for (int i = 0; i < vectors.length; i++) {
            System.arraycopy(vectors[i], 0, flat, i * dimension, dimension);
        }
        return flat;
    }
}
