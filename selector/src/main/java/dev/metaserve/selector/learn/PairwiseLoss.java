package dev.metaserve.selector.learn;

import java.util.List;

/**
 * Pairwise logistic loss within groups (one group per task), lower prediction meaning better: for every pair where
 * candidate {@code i} truly scores lower than {@code j} by more than {@value #MARGIN}, the loss
 * {@code log(1 + exp(f_i - f_j))}, weighted by what confusing the two would cost: the difference of their regrets
 * (capped at 1), doubled when {@code i} is the task's best. Only the order within a task is learnt, never a scale.
 */
final class PairwiseLoss implements Loss {
    /** Score differences (log ratios) below this are ties: measurement noise, not an order to learn. */
    static final double MARGIN = 0.01;

    private final double[] y;
    private final List<int[]> groups;

    /** @param y true scores; @param groups row indices of each task */
    PairwiseLoss(double[] y, List<int[]> groups) {
        this.y = y;
        this.groups = List.copyOf(groups);
    }

    @Override
    public double base() {
        return 0;
    }

    @Override
    public void gradients(double[] prediction, double[] pull, double[] hessian) {
        java.util.Arrays.fill(pull, 0);
        java.util.Arrays.fill(hessian, 0);
        for (int[] group : groups) {
            double min = Double.POSITIVE_INFINITY;
            for (int r : group) {
                min = Math.min(min, y[r]);
            }
            for (int i : group) {
                for (int j : group) {
                    if (y[i] + MARGIN >= y[j]) {
                        continue;
                    }
                    double regretGap = Math.min(1, Math.exp(y[j] - min) - Math.exp(y[i] - min));
                    double weight = regretGap * (y[i] == min ? 2 : 1);
                    double wrong = 1 / (1 + Math.exp(prediction[j] - prediction[i]));
                    pull[i] -= weight * wrong;
                    pull[j] += weight * wrong;
                    double h = weight * wrong * (1 - wrong);
                    hessian[i] += h;
                    hessian[j] += h;
                }
            }
        }
    }
}
