package dev.metaserve.accelerators.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void argmaxBreaksTiesToTheSmallestId() {
        assertThat(Sampling.argmax(new float[] {1, 3, 3, 2})).isEqualTo(1);
        assertThat(Sampling.argmax(new float[] {-5})).isZero();
    }

    @Test
    void greedyParamsPutAllMassOnTheArgmax() {
        assertThat(Sampling.probabilities(new float[] {0, 2, 2}, SamplingParams.GREEDY)).containsExactly(0, 1, 0);
    }

    @Test
    void temperatureScalesTheLogitsBeforeTheSoftmax() {
        double[] p = Sampling.probabilities(new float[] {0, (float) Math.log(3)}, new SamplingParams(1, 1, 0));
        assertThat(p[0]).isCloseTo(0.25, within(1e-6));
        assertThat(p[1]).isCloseTo(0.75, within(1e-6));
        double[] hot = Sampling.probabilities(new float[] {0, (float) Math.log(3)}, new SamplingParams(2, 1, 0));
        assertThat(hot[1]).isCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)), within(1e-6));
    }

    @Test
    void topPKeepsTheSmallestNucleusReachingTheMassAndRenormalizes() {
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        double[] p = Sampling.probabilities(logits, new SamplingParams(1, 0.8, 0));
        assertThat(p[0]).isCloseTo(0.5 / 0.8, within(1e-6));
        assertThat(p[1]).isCloseTo(0.3 / 0.8, within(1e-6));
        assertThat(p[2]).isZero();
        assertThat(p[3]).isZero();
        double[] wider = Sampling.probabilities(logits, new SamplingParams(1, 0.81, 0));
        assertThat(wider[2]).isCloseTo(0.15 / 0.95, within(1e-6));
        assertThat(wider[3]).isZero();
    }

    @Test
    void samplingFollowsTheWeights() {
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[Sampling.sample(new double[] {0.2, 0, 0.8}, random)]++;
        }
        assertThat(counts[1]).isZero();
        assertThat(counts[0] / 30_000.0).isCloseTo(0.2, within(0.015));
    }

    @Test
    void ngramLookupProposesWhatFollowedTheLatestEarlierOccurrence() {
        int[] tokens = {5, 1, 2, 7, 8, 1, 2, 9, 4, 1, 2};
        assertThat(NgramLookup.propose(tokens, tokens.length, 3, 2)).containsExactly(9, 4, 1);
        assertThat(NgramLookup.propose(tokens, tokens.length, 1, 1)).containsExactly(9);
        assertThat(NgramLookup.propose(tokens, tokens.length, 3, 3)).isEmpty(); // 4 1 2 occurs nowhere earlier
        // what follows may run up to the end of the sequence, and no further
        assertThat(NgramLookup.propose(new int[] {3, 3, 3}, 3, 5, 1)).containsExactly(3);
        assertThat(NgramLookup.propose(new int[] {3}, 1, 5, 1)).isEmpty();
        assertThat(NgramLookup.propose(new int[] {1, 2, 0, 0}, 2, 5, 1)).isEmpty(); // only the first 2 count
    }

    @Test
    void rejectionSamplingAcceptsProposalsTheTargetAlsoPicksForSure() {
        double[][] target = {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
        Verdict all = RejectionSampling.INSTANCE.verify(target, new int[] {1, 2}, new double[2][],
                new SplittableRandom(0));
        assertThat(all).isEqualTo(new Verdict(2, 0));
        Verdict second = RejectionSampling.INSTANCE.verify(target, new int[] {1, 0}, new double[2][],
                new SplittableRandom(0));
        assertThat(second).isEqualTo(new Verdict(1, 2));
    }
}
