package dev.metaserve.accelerators.generation;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Turning a logits row into a token: greedy, or sampled with temperature and top-p. */
public final class Sampling {
    private Sampling() {}

    /** The highest logit; ties go to the smallest id. */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The distribution a sampled token is drawn from: softmax of {@code logits / temperature}, cut to the nucleus
     * (the most likely tokens until their mass reaches {@code topP}; tokens tied with the last one kept are kept too)
     * and renormalized. For greedy params it is all mass on {@link #argmax}.
     */
    public static double[] probabilities(float[] logits, SamplingParams params) {
        double[] p = new double[logits.length];
        if (params.greedy()) {
            p[argmax(logits)] = 1;
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / params.temperature());
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        if (params.topP() < 1) {
            keepNucleus(p, params.topP());
        }
        return p;
    }

    private static void keepNucleus(double[] p, double topP) {
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        double mass = 0;
        double threshold = 0;
        for (int i = sorted.length - 1; i >= 0; i--) {
            mass += sorted[i];
            threshold = sorted[i];
            if (mass >= topP) {
                break;
            }
        }
        double kept = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] < threshold) {
                p[i] = 0;
            }
            kept += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= kept;
        }
    }

    /** Draws a token from {@code p} (weights summing to about 1, or any positive total). */
    public static int sample(double[] p, RandomGenerator random) {
        double total = 0;
        for (double v : p) {
            total += v;
        }
        double u = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                last = i;
                u -= p[i];
                if (u < 0) {
                    return i;
                }
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("cannot sample from a distribution without mass");
        }
        return last; // rounding left a sliver of u
    }
}
