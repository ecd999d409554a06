package dev.metaserve.models.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.generation.ContinuousBatchingGenerator;
import dev.metaserve.accelerators.generation.FinishReason;
import dev.metaserve.accelerators.generation.GenerationJob;
import dev.metaserve.accelerators.generation.GenerationStats;
import dev.metaserve.accelerators.generation.SamplingParams;
import dev.metaserve.accelerators.generation.TokenSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generation engine over the tiny ONNX model: speculative greedy decoding gives the plain tokens. */
class OnnxGenerationTest {
    private static OnnxCausalLm target;
    /** A second session of the same graph: it proposes what the target would say, so every proposal is accepted. */
    private static OnnxCausalLm draft;
    private static List<int[]> prompts;
    private static List<List<Integer>> plainAlone;

    @BeforeAll
    static void load() {
        target = OnnxCausalLm.loadResource(OnnxCausalLmTest.TINY, 1);
        draft = OnnxCausalLm.loadResource(OnnxCausalLmTest.TINY, 1);
        Random random = new Random(5);
        prompts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int[] prompt = new int[1 + random.nextInt(20)];
            for (int j = 0; j < prompt.length; j++) {
                prompt[j] = random.nextInt(target.vocabularySize());
            }
            prompts.add(prompt);
        }
        plainAlone = run(Decoding.PLAIN, 1).stream().map(Result::tokens).toList();
    }

    @AfterAll
    static void close() {
        target.close();
        draft.close();
    }

    record Result(List<Integer> tokens, FinishReason reason, GenerationStats stats) {}

    private static List<Result> run(Decoding decoding, int maxBatch) {
        try (ContinuousBatchingGenerator generator = new ContinuousBatchingGenerator(target, draft,
                new ContinuousBatchingGenerator.Settings(maxBatch, prompts.size()))) {
            List<CompletableFuture<Result>> results = new ArrayList<>();
            for (int[] prompt : prompts) {
                CompletableFuture<Result> result = new CompletableFuture<>();
                List<Integer> tokens = new ArrayList<>();
                generator.submit(new GenerationJob(prompt, 40, SamplingParams.GREEDY, decoding), new TokenSink() {
                    @Override
                    public boolean onTokens(int[] delivered) {
                        for (int token : delivered) {
                            tokens.add(token);
                        }
                        return true;
                    }

                    @Override
                    public void onFinished(FinishReason reason, GenerationStats stats) {
                        result.complete(new Result(List.copyOf(tokens), reason, stats));
                    }

                    @Override
                    public void onError(Throwable error) {
                        result.completeExceptionally(error);
                    }
                });
                results.add(result);
            }
            return results.stream().map(r -> r.orTimeout(60, TimeUnit.SECONDS).join()).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "draft(1)", "draft(4)", "ngram(3,1)", "ngram(5,2)"})
    void batchedGreedyDecodingGivesThePlainTokensOfEachPromptAlone(String decoding) {
        List<Result> results = run(Decoding.parse(decoding), 4);
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(results.get(i).tokens()).as("prompt %d", i).isEqualTo(plainAlone.get(i));
        }
        long proposed = results.stream().mapToLong(r -> r.stats().proposedTokens()).sum();
        long accepted = results.stream().mapToLong(r -> r.stats().acceptedTokens()).sum();
        if (decoding.startsWith("draft")) {
            assertThat(accepted).isPositive().isEqualTo(proposed); // the draft is the target
        } else if (decoding.startsWith("ngram")) {
            assertThat(proposed).isPositive();
        }
    }
}
