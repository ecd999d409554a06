package dev.metaserve.bench;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * How close one model's sentence embeddings are to a reference model's, on the same sentences: cosine per sentence and
 * agreement of nearest-neighbour retrieval. Vectors are L2-normalised (as the encoder returns them), so cosine is the
 * dot product.
 */
final class EmbeddingAgreement {
    private EmbeddingAgreement() {}

    /** Cosine of each candidate vector to the reference vector of the same sentence. */
    static double[] cosines(float[][] reference, float[][] candidate) {
        requireSameShape(reference, candidate);
        double[] cosines = new double[reference.length];
        for (int i = 0; i < reference.length; i++) {
            cosines[i] = dot(reference[i], candidate[i]);
        }
        return cosines;
    }

    /** Mean of {@code 1 - cosine}: the error a quantized model makes against fp32. */
    static double meanError(double[] cosines) {
        return 1 - Arrays.stream(cosines).average().orElse(Double.NaN);
    }

    /**
     * The {@code k} nearest neighbours (by cosine, the query itself excluded) of each of the first {@code queries}
     * vectors among all {@code vectors}, nearest first; ties go to the lower index.
     */
    static int[][] nearestNeighbours(float[][] vectors, int queries, int k) {
        if (k < 1 || k >= vectors.length) {
            throw new IllegalArgumentException("k must be in [1, " + (vectors.length - 1) + "], was " + k);
        }
        if (queries < 1 || queries > vectors.length) {
            throw new IllegalArgumentException("queries must be in [1, " + vectors.length + "], was " + queries);
        }
        return IntStream.range(0, queries).parallel().mapToObj(q -> topK(vectors, q, k)).toArray(int[][]::new);
    }

    private static int[] topK(float[][] vectors, int query, int k) {
        int[] best = new int[k];
        double[] bestScore = new double[k];
        Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < vectors.length; j++) {
            if (j == query) {
                continue;
            }
            double score = dot(vectors[query], vectors[j]);
            if (score <= bestScore[k - 1]) {
                continue;
            }
            int at = k - 1;
            while (at > 0 && bestScore[at - 1] < score) {
                bestScore[at] = bestScore[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            bestScore[at] = score;
            best[at] = j;
        }
        return best;
    }

    /** Share of {@code a}'s entries that are also in {@code b} (both sets of the same size, order ignored). */
    static double overlap(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("neighbour lists must have the same, non-zero length");
        }
        int[] sorted = b.clone();
        Arrays.sort(sorted);
        int shared = 0;
        for (int x : a) {
            if (Arrays.binarySearch(sorted, x) >= 0) {
                shared++;
            }
        }
        return (double) shared / a.length;
    }

    /** Mean {@link #overlap} of the candidate's neighbour lists with the reference's, query by query. */
    static double meanOverlap(int[][] reference, int[][] candidate) {
        if (reference.length != candidate.length) {
            throw new IllegalArgumentException("different numbers of queries");
        }
        double sum = 0;
        for (int q = 0; q < reference.length; q++) {
            sum += overlap(reference[q], candidate[q]);
        }
        return sum / reference.length;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void requireSameShape(float[][] a, float[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("different numbers of vectors: " + a.length + " and " + b.length);
        }
    }
}
