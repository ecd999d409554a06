package dev.metaserve.models.lm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.generation.ContinuousBatchingGenerator;
import dev.metaserve.accelerators.generation.FinishReason;
import dev.metaserve.accelerators.generation.GenerationJob;
import dev.metaserve.accelerators.generation.GenerationStats;
import dev.metaserve.accelerators.generation.SamplingParams;
import dev.metaserve.accelerators.generation.TokenSink;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The trained models shipped in this jar: they load, agree with their manifest, and decode losslessly. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundledModelsTest {
    static final List<String> PROMPTS = List.of(
            "It is a truth universally acknowledged, that a single man in possession of a good fortune",
            "In the beginning God created the heaven and the earth. And the earth was",
            "Mr. Darcy",
            "And the LORD spake unto Moses, saying,",
            "She was not",
            "the king of Israel, and the king of Israel, and the king of");

    LmBundle bundle;
    ContinuousBatchingGenerator generator;

    @BeforeAll
    void load() {
        bundle = LmBundle.loadBundled(1);
        generator = bundle.newGenerator(new ContinuousBatchingGenerator.Settings(8, 64));
    }

    @AfterAll
    void close() {
        generator.close();
        bundle.close();
    }

    @Test
    void theManifestDescribesTheBundledGraphs() throws Exception {
        JsonNode manifest;
        try (InputStream in = getClass().getResourceAsStream(LmBundle.RESOURCE_DIRECTORY + "manifest.json")) {
            manifest = new ObjectMapper().readTree(in);
        }
        JsonNode target = manifest.get("models").get("target");
        JsonNode draft = manifest.get("models").get("draft");
        assertThat(target.get("vocab_size").asInt()).isEqualTo(bundle.target().vocabularySize());
        assertThat(target.get("context_length").asInt()).isEqualTo(bundle.target().contextLength());
        assertThat(target.get("layers").asInt()).isEqualTo(bundle.target().layers());
        assertThat(draft.get("layers").asInt()).isEqualTo(bundle.draft().layers());
        assertThat(draft.get("parameters").asLong() * 10).isLessThanOrEqualTo(target.get("parameters").asLong());
        assertThat(target.get("parity_max_abs_diff_kv_cache").asDouble()).isLessThanOrEqualTo(1e-4);
        assertThat(draft.get("parity_max_abs_diff_kv_cache").asDouble()).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void greedyTextIsTheSameWhateverTheDecodingAndTheBatch() throws Exception {
        List<Decoding> decodings = List.of(Decoding.PLAIN, Decoding.parse("draft(2)"), Decoding.parse("draft(4)"),
                Decoding.parse("draft(6)"), Decoding.parse("ngram(4,2)"));
        Map<Decoding, List<CompletableFuture<List<Integer>>>> runs = new LinkedHashMap<>();
        // every prompt under every decoding at once: they share the running batch
        for (Decoding decoding : decodings) {
            List<CompletableFuture<List<Integer>>> outputs = new ArrayList<>();
            for (String prompt : PROMPTS) {
                outputs.add(generate(new GenerationJob(bundle.tokenizer().encode(prompt), 40, SamplingParams.GREEDY,
                        decoding)));
            }
            runs.put(decoding, outputs);
        }
        for (int p = 0; p < PROMPTS.size(); p++) {
            List<Integer> plain = runs.get(Decoding.PLAIN).get(p).get(60, TimeUnit.SECONDS);
            assertThat(plain).isNotEmpty();
            for (Decoding decoding : decodings) {
                assertThat(runs.get(decoding).get(p).get(60, TimeUnit.SECONDS)).as(decoding + " on " + PROMPTS.get(p))
                        .isEqualTo(plain);
            }
        }
        assertThat(generator.totals().acceptedTokens()).as("speculation accepted some drafts").isPositive();
    }

    @Test
    void theTargetHasLearnedEnglishFromItsCorpus() throws Exception {
        List<Integer> tokens = generate(new GenerationJob(bundle.tokenizer().encode("And God said, Let"), 24,
                SamplingParams.GREEDY, Decoding.PLAIN)).get(60, TimeUnit.SECONDS);
        String text = bundle.tokenizer().decode(tokens.stream().mapToInt(Integer::intValue).toArray());
        // a model that learned nothing gives byte salad; ours writes words of its corpus
        long words = java.util.Arrays.stream(text.split("[^A-Za-z]+")).filter(w -> w.length() > 1).count();
        assertThat(words).as(text).isGreaterThanOrEqualTo(4);
    }

    private CompletableFuture<List<Integer>> generate(GenerationJob job) {
        CompletableFuture<List<Integer>> result = new CompletableFuture<>();
        List<Integer> tokens = new ArrayList<>();
        generator.submit(job, new TokenSink() {
            @Override
            public boolean onTokens(int[] delivered) {
                for (int token : delivered) {
                    tokens.add(token);
                }
                return true;
            }

            @Override
            public void onFinished(FinishReason reason, GenerationStats stats) {
                result.complete(tokens);
            }

            @Override
            public void onError(Throwable error) {
                result.completeExceptionally(error);
            }
        });
        return result;
    }
}
