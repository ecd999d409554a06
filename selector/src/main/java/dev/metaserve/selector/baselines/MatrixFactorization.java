package dev.metaserve.selector.baselines;

import java.util.Random;

/**
 * Low-rank completion of a partly observed matrix by alternating least squares: {@code M[i][j] ~ colMean[j] +
 * rows[i] . cols[j]}, with a ridge penalty on both factors. Missing entries are NaN.
 */
final class MatrixFactorization {
    private static final int ITERATIONS = 30;

    final double[] columnMean;
    final double[][] rows;
    final double[][] columns;

    private MatrixFactorization(double[] columnMean, double[][] rows, double[][] columns) {
        this.columnMean = columnMean;
        this.rows = rows;
        this.columns = columns;
    }

    static MatrixFactorization fit(double[][] m, int rank, double lambda, long seed) {
        int n = m.length;
        int c = m[0].length;
        double[] mean = new double[c];
        for (int j = 0; j < c; j++) {
            double s = 0;
            int count = 0;
            for (double[] row : m) {
                if (!Double.isNaN(row[j])) {
                    s += row[j];
                    count++;
                }
            }
            mean[j] = count == 0 ? 0 : s / count;
        }
        double[][] r = new double[n][c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                r[i][j] = Double.isNaN(m[i][j]) ? Double.NaN : m[i][j] - mean[j];
            }
        }
        Random random = new Random(seed);
        double[][] u = new double[n][rank];
        double[][] v = new double[c][rank];
        for (double[] row : v) {
            for (int k = 0; k < rank; k++) {
                row[k] = 0.1 * random.nextGaussian();
            }
        }
        for (int iter = 0; iter < ITERATIONS; iter++) {
            for (int i = 0; i < n; i++) {
                u[i] = solveRow(r[i], v, rank, lambda);
            }
            double[] column = new double[n];
            for (int j = 0; j < c; j++) {
                for (int i = 0; i < n; i++) {
                    column[i] = r[i][j];
                }
                v[j] = solveRow(column, u, rank, lambda);
            }
        }
        return new MatrixFactorization(mean, u, v);
    }

    /** Ridge fit of the observed entries of {@code target} on the factor rows of the other side. */
    private static double[] solveRow(double[] target, double[][] other, int rank, double lambda) {
        double[][] a = new double[rank][rank];
        double[] b = new double[rank];
        for (int k = 0; k < rank; k++) {
            a[k][k] = lambda;
        }
        for (int j = 0; j < target.length; j++) {
            if (Double.isNaN(target[j])) {
                continue;
            }
            double[] f = other[j];
            for (int p = 0; p < rank; p++) {
                b[p] += f[p] * target[j];
                for (int q = 0; q < rank; q++) {
                    a[p][q] += f[p] * f[q];
                }
            }
        }
        return Cholesky.solve(a, b);
    }

    /** Completed value of column {@code j} for a row with latent factors {@code u}. */
    double value(double[] u, int j) {
        double s = columnMean[j];
        for (int k = 0; k < u.length; k++) {
            s += u[k] * columns[j][k];
        }
        return s;
    }
}
