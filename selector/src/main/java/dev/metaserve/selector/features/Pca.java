package dev.metaserve.selector.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Principal components of a set of embeddings, to shrink 384 dimensions to the few that vary among the (few)
 * descriptions. Fit on the Gram matrix of the centred vectors (n x n, n = descriptions, far fewer than dimensions)
 * by block power iteration with a fixed seed, so the same input gives the same components.
 */
public final class Pca {
    private static final int ITERATIONS = 60;
    private static final long SEED = 7;

    private final double[] mean;
    private final double[][] components;

    /** Restores fitted components (the model file); {@code components[c]} has the length of {@code mean}. */
    public Pca(double[] mean, double[][] components) {
        for (double[] c : components) {
            if (c.length != mean.length) {
                throw new IllegalArgumentException("PCA: component of length " + c.length + ", mean of length " + mean.length);
            }
        }
        this.mean = mean;
        this.components = components;
    }

    /**
     * Fits at most {@code maxComponents} components (fewer when the vectors span fewer dimensions).
     *
     * @throws IllegalArgumentException when there are no vectors or their lengths differ
     */
    public static Pca fit(List<float[]> vectors, int maxComponents) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("PCA: no vectors to fit");
        }
        int n = vectors.size();
        int d = vectors.get(0).length;
        double[] mean = new double[d];
        for (float[] v : vectors) {
            if (v.length != d) {
                throw new IllegalArgumentException("PCA: vectors of length " + d + " and " + v.length);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += v[j] / (double) n;
            }
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = vectors.get(i)[j] - mean[j];
            }
        }
        int k = Math.max(0, Math.min(maxComponents, n - 1));
        double[][] gram = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += x[a][j] * x[b][j];
                }
                gram[a][b] = dot;
                gram[b][a] = dot;
            }
        }
        double[][] u = topEigenvectors(gram, k);
        double[][] mapped = new double[u.length][d];
        for (int c = 0; c < u.length; c++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    mapped[c][j] += u[c][i] * x[i][j];
                }
            }
        }
        // exact eigenvectors map to orthogonal directions; converged-enough ones nearly do, so finish the job
        orthonormalise(mapped);
        List<double[]> kept = new ArrayList<>();
        for (double[] v : mapped) {
            if (dot(v, v) > 0.5) {
                kept.add(v);
            }
        }
        return new Pca(mean, kept.toArray(new double[0][]));
    }

    /** Orthonormal top-k eigenvectors of a symmetric positive semi-definite matrix, by block power iteration. */
    private static double[][] topEigenvectors(double[][] m, int k) {
        int n = m.length;
        Random random = new Random(SEED);
        double[][] q = new double[k][n];
        for (double[] row : q) {
            for (int i = 0; i < n; i++) {
                row[i] = random.nextGaussian();
            }
        }
        orthonormalise(q);
        for (int iter = 0; iter < ITERATIONS; iter++) {
            double[][] next = new double[k][n];
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < n; i++) {
                    next[c][i] = dot(m[i], q[c]);
                }
            }
            q = next;
            orthonormalise(q);
        }
        return q;
    }

    /** Gram-Schmidt in place; a vector that vanishes becomes zero. */
    private static void orthonormalise(double[][] q) {
        for (int c = 0; c < q.length; c++) {
            for (int p = 0; p < c; p++) {
                double proj = dot(q[c], q[p]);
                for (int i = 0; i < q[c].length; i++) {
                    q[c][i] -= proj * q[p][i];
                }
            }
            double norm = Math.sqrt(dot(q[c], q[c]));
            for (int i = 0; i < q[c].length; i++) {
                q[c][i] = norm < 1e-12 ? 0 : q[c][i] / norm;
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Components kept. */
    public int dimension() {
        return components.length;
    }

    /** Input length expected by {@link #project}. */
    public int inputDimension() {
        return mean.length;
    }

    /** Coordinates of a vector on the components. */
    public double[] project(float[] vector) {
        if (vector.length != mean.length) {
            throw new IllegalArgumentException("PCA: expected a vector of length " + mean.length + ", got "
                    + vector.length);
        }
        double[] out = new double[components.length];
        for (int c = 0; c < components.length; c++) {
            double s = 0;
            for (int j = 0; j < mean.length; j++) {
                s += (vector[j] - mean[j]) * components[c][j];
            }
            out[c] = s;
        }
        return out;
    }

    public double[] mean() {
        return mean;
    }

    public double[][] components() {
        return components;
    }
}
