package dev.metaserve.accelerators.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.accelerators.Decoding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpeculativeDecodingTest {
    private static final int VOCABULARY = 16;
    private static final ToyLm TARGET = ToyLm.random(VOCABULARY, 96, 7, 2.0, VOCABULARY - 1);
    private static final ToyLm DRAFT = TARGET.noisyCopy(8, 0.8);

    @ParameterizedTest
    @ValueSource(strings = {"draft(1)", "draft(2)", "draft(4)", "draft(7)", "ngram(1,1)", "ngram(3,1)", "ngram(4,2)",
            "ngram(8,3)"})
    void greedySpeculativeDecodingGivesThePlainTokens(String decoding) {
        List<int[]> prompts = prompts(40, new Random(11));
        List<RecordingSink.Outcome> plain = run(prompts, Decoding.PLAIN, SamplingParams.GREEDY);
        List<RecordingSink.Outcome> speculative = run(prompts, Decoding.parse(decoding), SamplingParams.GREEDY);
        int proposed = 0;
        int accepted = 0;
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(speculative.get(i).tokens()).as("prompt %d", i).isEqualTo(plain.get(i).tokens());
            assertThat(speculative.get(i).reason()).isEqualTo(plain.get(i).reason());
            GenerationStats stats = speculative.get(i).stats();
            assertThat(stats.acceptedTokens()).isLessThanOrEqualTo(stats.proposedTokens());
            proposed += stats.proposedTokens();
            accepted += stats.acceptedTokens();
        }
        // the proposals were really used: accepted ones saved target passes
        assertThat(accepted).isPositive().isLessThanOrEqualTo(proposed);
        int plainPasses = plain.stream().mapToInt(o -> o.stats().targetPasses()).sum();
        int speculativePasses = speculative.stream().mapToInt(o -> o.stats().targetPasses()).sum();
        assertThat(speculativePasses).isLessThan(plainPasses);
    }

    private static List<int[]> prompts(int count, Random random) {
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] prompt = new int[1 + random.nextInt(12)];
            for (int j = 0; j < prompt.length; j++) {
                prompt[j] = random.nextInt(VOCABULARY - 1);
            }
            prompts.add(prompt);
        }
        return prompts;
    }

    private static List<RecordingSink.Outcome> run(List<int[]> prompts, Decoding decoding, SamplingParams sampling) {
        try (Generator generator = new ContinuousBatchingGenerator(TARGET, DRAFT,
                new ContinuousBatchingGenerator.Settings(6, prompts.size()))) {
            List<RecordingSink> sinks = new ArrayList<>();
            for (int[] prompt : prompts) {
                RecordingSink sink = new RecordingSink();
                generator.submit(new GenerationJob(prompt, 60, sampling, decoding), sink);
                sinks.add(sink);
            }
            return sinks.stream().map(RecordingSink::await).toList();
        }
    }

    // --- sampled speculative decoding follows the target's distribution -------------------------------------------

    private static final int SMALL_VOCABULARY = 5;
    private static final int TOKENS = 3;
    private static final ToyLm SMALL_TARGET = ToyLm.random(SMALL_VOCABULARY, 32, 21, 1.2, -1);
    /** A poor draft, so that rejections (and the residual distribution) matter. */
    private static final ToyLm SMALL_DRAFT = SMALL_TARGET.noisyCopy(22, 1.5);
    private static final SamplingParams SAMPLING = new SamplingParams(0.9, 0.95, 0);
    private static final int[] PROMPT = {1, 2, 1, 2};
    private static final int SAMPLES = 6000;

    @Test
    void sampledDraftDecodingFollowsTheTargetDistribution() {
        Fit fit = fit(new Decoding.Draft(2), RejectionSampling.INSTANCE);
        assertThat(fit.proposed).isPositive();
        assertThat(fit.accepted).isPositive().isLessThan(fit.proposed);
        assertThat(fit.z).as("chi-square %s", fit).isLessThan(3.09);
    }

    @Test
    void sampledNgramDecodingFollowsTheTargetDistribution() {
        Fit fit = fit(new Decoding.Ngram(2, 1), RejectionSampling.INSTANCE);
        assertThat(fit.accepted).isPositive().isLessThan(fit.proposed);
        assertThat(fit.z).as("chi-square %s", fit).isLessThan(3.09);
    }

    @Test
    void sampledPlainDecodingFollowsTheTargetDistribution() {
        assertThat(fit(Decoding.PLAIN, RejectionSampling.INSTANCE).z).isLessThan(3.09);
    }

    @Test
    void theTestCatchesAVerifierThatResamplesFromTheTargetAfterARejection() {
        Verifier wrong = (target, proposals, draft, random) -> {
            for (int i = 0; i < proposals.length; i++) {
                double p = target[i][proposals[i]];
                double q = draft[i] == null ? 1 : draft[i][proposals[i]];
                if (!(q <= p || random.nextDouble() * q < p)) {
                    return new Verdict(i, Sampling.sample(target[i], random)); // should be the residual
                }
            }
            return new Verdict(proposals.length, Sampling.sample(target[proposals.length], random));
        };
        assertThat(fit(new Decoding.Draft(2), wrong).z).isGreaterThan(3.09);
    }

    @Test
    void theTestCatchesAVerifierThatAcceptsEveryProposal() {
        Verifier credulous = (target, proposals, draft, random) ->
                new Verdict(proposals.length, Sampling.sample(target[proposals.length], random));
        assertThat(fit(new Decoding.Draft(2), credulous).z).isGreaterThan(3.09);
    }

    /** Chi-square statistic of the first tokens against the exact joint, as a Wilson-Hilferty z score. */
    record Fit(double chiSquare, int degreesOfFreedom, double z, long proposed, long accepted) {}

    private static Fit fit(Decoding decoding, Verifier verifier) {
        Map<List<Integer>, Double> exact = new HashMap<>();
        joint(new ArrayList<>(List.of(1, 2, 1, 2)), 1.0, exact);
        Map<List<Integer>, Integer> observed = new HashMap<>();
        long proposed;
        long accepted;
        try (ContinuousBatchingGenerator generator = new ContinuousBatchingGenerator(SMALL_TARGET, SMALL_DRAFT,
                new ContinuousBatchingGenerator.Settings(64, SAMPLES), verifier)) {
            List<RecordingSink> sinks = new ArrayList<>();
            for (int seed = 0; seed < SAMPLES; seed++) {
                RecordingSink sink = new RecordingSink();
                generator.submit(new GenerationJob(PROMPT, TOKENS,
                        new SamplingParams(SAMPLING.temperature(), SAMPLING.topP(), 1000 + seed), decoding), sink);
                sinks.add(sink);
            }
            for (RecordingSink sink : sinks) {
                observed.merge(sink.await().tokens(), 1, Integer::sum);
            }
            proposed = generator.totals().proposedTokens();
            accepted = generator.totals().acceptedTokens();
        }
        if (!exact.keySet().containsAll(observed.keySet())) {
            return new Fit(Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY, proposed, accepted); // impossible
        }
        // pool the cells expected fewer than 5 times into one
        double chiSquare = 0;
        int cells = 0;
        double pooledExpected = 0;
        int pooledObserved = 0;
        for (Map.Entry<List<Integer>, Double> cell : exact.entrySet()) {
            double expected = cell.getValue() * SAMPLES;
            int seen = observed.getOrDefault(cell.getKey(), 0);
            if (expected < 5) {
                pooledExpected += expected;
                pooledObserved += seen;
            } else {
                chiSquare += (seen - expected) * (seen - expected) / expected;
                cells++;
            }
        }
        if (pooledExpected > 0) {
            chiSquare += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            cells++;
        }
        int df = cells - 1;
        double h = 2.0 / (9 * df);
        double z = (Math.cbrt(chiSquare / df) - (1 - h)) / Math.sqrt(h);
        return new Fit(chiSquare, df, z, proposed, accepted);
    }

    /** The exact probability of every continuation of {@value #TOKENS} tokens under the target after sampling. */
    private static void joint(List<Integer> prefix, double probability, Map<List<Integer>, Double> out) {
        int generated = prefix.size() - PROMPT.length;
        if (generated == TOKENS) {
            out.put(List.copyOf(prefix.subList(PROMPT.length, prefix.size())), probability);
            return;
        }
        double[] p = Sampling.probabilities(SMALL_TARGET.logitsAfter(prefix), SAMPLING);
        for (int token = 0; token < p.length; token++) {
            if (p[token] > 0) {
                prefix.add(token);
                joint(prefix, probability * p[token], out);
                prefix.remove(prefix.size() - 1);
            }
        }
    }
}
