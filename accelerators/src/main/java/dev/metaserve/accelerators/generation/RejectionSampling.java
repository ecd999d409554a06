package dev.metaserve.accelerators.generation;

import java.util.random.RandomGenerator;

/**
 * Speculative sampling (Leviathan et al. 2023; Chen et al. 2023): proposal x, drawn from q, is accepted with
 * probability min(1, p(x)/q(x)); the first rejected one is replaced by a draw from normalize(max(0, p - q)); when all
 * are accepted one more token is drawn from the target. Every token then follows the target's distribution p exactly,
 * whatever q is. A certain proposal (q one-hot) is accepted with probability p(x), and the replacement comes from p
 * without x.
 */
final class RejectionSampling implements Verifier {
    static final RejectionSampling INSTANCE = new RejectionSampling();

    private RejectionSampling() {}

    @Override
    public Verdict verify(double[][] target, int[] proposals, double[][] draft, RandomGenerator random) {
        for (int i = 0; i < proposals.length; i++) {
            int x = proposals[i];
            double p = target[i][x];
            double q = draft[i] == null ? 1 : draft[i][x];
            if (q <= p || random.nextDouble() * q < p) {
                continue;
            }
            return new Verdict(i, Sampling.sample(residual(target[i], draft[i], x), random));
        }
        return new Verdict(proposals.length, Sampling.sample(target[proposals.length], random));
    }

    /** max(0, p - q), unnormalized ({@link Sampling#sample} scales by the total); p without x when q is certain. */
    private static double[] residual(double[] p, double[] q, int proposal) {
        double[] r = new double[p.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            double qi = q == null ? (i == proposal ? 1 : 0) : q[i];
            r[i] = Math.max(0, p[i] - qi);
            total += r[i];
        }
        // only rounding can leave no mass (a rejection means q > p somewhere, so p > q elsewhere)
        return total > 0 ? r : p;
    }
}
