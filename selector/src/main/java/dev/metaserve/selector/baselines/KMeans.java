package dev.metaserve.selector.baselines;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** k-means with k-means++ seeding and a fixed seed: centres, and each point's nearest centre. */
final class KMeans {
    private static final int ITERATIONS = 100;

    final double[][] centres;
    final int[] assignment;

    private KMeans(double[][] centres, int[] assignment) {
        this.centres = centres;
        this.assignment = assignment;
    }

    static KMeans fit(List<double[]> points, int k, long seed) {
        int n = points.size();
        k = Math.max(1, Math.min(k, n));
        Random random = new Random(seed);
        double[][] centres = new double[k][];
        centres[0] = points.get(random.nextInt(n)).clone();
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], distance2(points.get(i), centres[c - 1]));
                total += nearest[i];
            }
            double target = random.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                target -= nearest[i];
                if (target <= 0) {
                    pick = i;
                    break;
                }
            }
            centres[c] = points.get(pick).clone();
        }
        int[] assignment = new int[n];
        for (int iter = 0; iter < ITERATIONS; iter++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int a = nearestCentre(centres, points.get(i));
                if (a != assignment[i] || iter == 0) {
                    changed |= a != assignment[i];
                    assignment[i] = a;
                }
            }
            double[][] sums = new double[k][points.get(0).length];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[assignment[i]]++;
                double[] p = points.get(i);
                for (int j = 0; j < p.length; j++) {
                    sums[assignment[i]][j] += p[j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    for (int j = 0; j < sums[c].length; j++) {
                        centres[c][j] = sums[c][j] / counts[c];
                    }
                }
            }
            if (!changed && iter > 0) {
                break;
            }
        }
        return new KMeans(centres, assignment);
    }

    static int nearestCentre(double[][] centres, double[] point) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centres.length; c++) {
            double d = distance2(centres[c], point);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static double distance2(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }
}
