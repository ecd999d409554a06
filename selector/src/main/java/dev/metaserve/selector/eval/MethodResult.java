package dev.metaserve.selector.eval;

import java.util.List;

/**
 * How one method did over all held-out problems.
 *
 * @param method              the method's name
 * @param problems            problems scored
 * @param accuracy            share of problems where the best candidate was chosen (top-1)
 * @param meanRegret          mean regret (0.05 = 5% slower than the best, or 5% less throughput)
 * @param p90Regret           90th percentile of regret
 * @param nearBest            share of problems where the choice was within {@value #NEAR_BEST} of the best (regret at
 *                            most that): top-1 that forgives differences the size of measurement noise
 * @param clearShare          share of problems whose best is clear: the runner-up more than {@value #NEAR_BEST}
 *                            behind it (or no other candidate feasible), where top-1 does not hinge on measurement
 *                            noise
 * @param clearAccuracy       top-1 accuracy on those problems alone (NaN when there are none)
 * @param toleranceViolations share of choices that broke the quality tolerance (charged the worst feasible regret)
 * @param trainSeconds        wall time spent training, summed over folds
 * @param chooseMicros        mean wall time of one choice, in microseconds
 */
public record MethodResult(String method, int problems, double accuracy, double meanRegret, double p90Regret,
        double nearBest, double clearShare, double clearAccuracy, double toleranceViolations, double trainSeconds,
        double chooseMicros) {
    /** Regret up to which a choice counts as near the best. */
    public static final double NEAR_BEST = 0.05;

    /** Aggregates scored choices, each problem weighing 1 (a uniform choice spreads its weight over its picks). */
    static MethodResult of(String method, List<ScoredChoice> scored, double trainSeconds, double chooseMicros) {
        int n = scored.size();
        double hits = 0;
        double violations = 0;
        double mean = 0;
        double near = 0;
        int clear = 0;
        double clearHits = 0;
        int total = scored.stream().mapToInt(s -> s.regrets().length).sum();
        double[] values = new double[total];
        double[] weights = new double[total];
        int at = 0;
        for (ScoredChoice s : scored) {
            hits += s.hit();
            if (s.clearCut()) {
                clear++;
                clearHits += s.hit();
            }
            violations += s.violations();
            for (double r : s.regrets()) {
                values[at] = r;
                weights[at] = 1.0 / s.regrets().length;
                mean += r * weights[at];
                near += r <= NEAR_BEST + 1e-12 ? weights[at] : 0;
                at++;
            }
        }
        return new MethodResult(method, n, hits / n, mean / n, WeightedQuantile.of(values, weights, 0.9), near / n,
                (double) clear / n, clear == 0 ? Double.NaN : clearHits / clear, violations / n, trainSeconds,
                chooseMicros);
    }
}
