package dev.metaserve.accelerators.generation;

import java.util.random.RandomGenerator;

/** Decides which proposed tokens a sampled (non-greedy) job keeps; see {@link RejectionSampling}. */
interface Verifier {
    /**
     * @param target    k + 1 target distributions: {@code target[i]} is for the token after proposal i - 1 (the first
     *                  for the first proposal), {@code target[k]} for the token after all k
     * @param proposals the k proposed tokens
     * @param draft     k proposal distributions; a null entry means the proposal was certain (n-gram lookup, or a
     *                  greedy draft)
     */
    Verdict verify(double[][] target, int[] proposals, double[][] draft, RandomGenerator random);
}
