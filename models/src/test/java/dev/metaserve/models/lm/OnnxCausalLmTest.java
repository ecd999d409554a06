package dev.metaserve.models.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.generation.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tiny random-weight LM-contract graph run through OnnxCausalLm: caches must not change what the model says. */
class OnnxCausalLmTest {
    static final String TINY = "/dev/metaserve/models/lm/tiny-lm.onnx";
    private static final float TOLERANCE = 1e-4f;
    private static OnnxCausalLm model;

    @BeforeAll
    static void load() {
        model = OnnxCausalLm.loadResource(TINY, 1);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void readsTheContractMetadata() {
        assertThat(model.vocabularySize()).isEqualTo(4096);
        assertThat(model.contextLength()).isEqualTo(64);
        assertThat(model.endOfTextId()).isEqualTo(256);
        assertThat(model.layers()).isEqualTo(2);
        assertThat(model.name()).isEqualTo("tiny-lm");
    }

    /** The logits of a whole sequence run at once from an empty cache. */
    private static float[][] fullPass(int[] tokens) {
        return model.forward(List.of(model.newCache()), List.of(tokens)).get(0);
    }

    private static int[] randomTokens(Random random, int length) {
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = random.nextInt(model.vocabularySize());
        }
        return tokens;
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).as(what).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void incrementalDecodingWithTheCacheGivesTheFullPassLogits() {
        int[] tokens = randomTokens(new Random(1), 50);
        float[][] full = fullPass(tokens);
        KvCache cache = model.newCache();
        int[] chunkSizes = {1, 3, 1, 1, 7, 2, 1, 10, 1, 5, 1, 1, 16};
        int at = 0;
        for (int size : chunkSizes) {
            float[][] rows = model.forward(List.of(cache), List.of(Arrays.copyOfRange(tokens, at, at + size))).get(0);
            for (int j = 0; j < size; j++) {
                assertClose(rows[j], full[at + j], "position " + (at + j));
            }
            at += size;
        }
        assertThat(at).isEqualTo(tokens.length);
        assertThat(cache.length()).isEqualTo(tokens.length);
    }

    @Test
    void truncatedTokensAreForgotten() {
        Random random = new Random(2);
        int[] first = randomTokens(random, 20);
        int[] replacement = randomTokens(random, 9);
        KvCache cache = model.newCache();
        model.forward(List.of(cache), List.of(first));
        model.forward(List.of(cache), List.of(new int[] {5, 6, 7}));
        cache.truncate(12); // rejected proposals, then a different continuation
        float[][] rows = model.forward(List.of(cache), List.of(replacement)).get(0);
        int[] expected = Arrays.copyOf(first, 21);
        System.arraycopy(replacement, 0, expected, 12, 9);
        float[][] full = fullPass(expected);
        for (int j = 0; j < replacement.length; j++) {
            assertClose(rows[j], full[12 + j], "position " + (12 + j));
        }
        assertThatThrownBy(() -> cache.truncate(22)).hasMessageContaining("cannot truncate a cache of 21 tokens to 22");
    }

    @Test
    void aBatchOfSequencesGivesWhatEachGivesAloneAsItJoinsLeavesAndIsCutBack() {
        Random random = new Random(3);
        int sequences = 5;
        List<int[]> texts = new ArrayList<>();
        List<KvCache> caches = new ArrayList<>();
        List<float[][]> reference = new ArrayList<>();
        for (int s = 0; s < sequences; s++) {
            texts.add(randomTokens(random, 60));
            caches.add(model.newCache());
        }
        int[] fed = new int[sequences];
        long regathersBefore = model.regathers();
        for (int step = 0; step < 24; step++) {
            // a changing batch: some steps leave a sequence out, so the model must rebuild its past
            List<Integer> members = new ArrayList<>();
            for (int s = 0; s < sequences; s++) {
                boolean sitsOut = step % 7 == 3 && s == step % sequences;
                if (!sitsOut && fed[s] < 56) {
                    members.add(s);
                }
            }
            List<KvCache> batchCaches = new ArrayList<>();
            List<int[]> chunks = new ArrayList<>();
            for (int s : members) {
                int size = 1 + (s + step) % 4;
                if (step % 5 == 4 && fed[s] > 3) {
                    caches.get(s).truncate(fed[s] - 2); // as after rejected proposals
                    fed[s] -= 2;
                }
                batchCaches.add(caches.get(s));
                chunks.add(Arrays.copyOfRange(texts.get(s), fed[s], fed[s] + size));
            }
            List<float[][]> rows = model.forward(batchCaches, chunks);
            for (int m = 0; m < members.size(); m++) {
                int s = members.get(m);
                float[][] full = fullPass(Arrays.copyOf(texts.get(s), fed[s] + chunks.get(m).length));
                for (int j = 0; j < chunks.get(m).length; j++) {
                    assertClose(rows.get(m)[j], full[fed[s] + j], "sequence " + s + " step " + step);
                }
                fed[s] += chunks.get(m).length;
            }
        }
        assertThat(model.regathers() - regathersBefore).isGreaterThan(3);
    }

    @Test
    void slotsOfRejectedProposalsAreMaskedThenCompacted() {
        Random random = new Random(4);
        int[] text = randomTokens(random, 40);
        float[][] full = fullPass(text);
        KvCache cache = model.newCache();
        KvCache other = model.newCache();
        long regathersBefore = model.regathers();
        model.forward(List.of(cache, other), List.of(Arrays.copyOf(text, 2), new int[] {7}));
        for (int accepted = 2; accepted < 40; accepted++) {
            // one true token plus three proposals that are then rejected: 4 slots used, 1 kept
            int[] chunk = {text[accepted], 1, 2, 3};
            float[][] rows = model.forward(List.of(cache, other), List.of(chunk, new int[] {8})).get(0);
            cache.truncate(accepted + 1);
            other.truncate(1);
            assertClose(rows[0], full[accepted], "position " + accepted);
        }
        // compaction happened, but far less often than every step
        assertThat(model.regathers() - regathersBefore).isBetween(2L, 20L);
    }

    @Test
    void passesTheModelCannotRunAreRefusedNamingWhy() {
        KvCache cache = model.newCache();
        assertThatThrownBy(() -> model.forward(List.of(cache), List.of(new int[0])))
                .hasMessageContaining("chunk 0 is empty");
        assertThatThrownBy(() -> model.forward(List.of(cache, cache), List.of(new int[] {1}, new int[] {2})))
                .hasMessageContaining("cache 1 appears twice");
        assertThatThrownBy(() -> model.forward(List.of(cache), List.of(new int[] {4096})))
                .hasMessageContaining("token 4096 of chunk 0 is outside the vocabulary [0, 4096)");
        assertThatThrownBy(() -> model.forward(List.of(cache), List.of(new int[65])))
                .hasMessageContaining("would hold 65 tokens, over the context of 64");
        assertThatThrownBy(() -> model.forward(List.of(new KvCache() {
            public int length() {
                return 0;
            }

            public void truncate(int length) {}
        }), List.of(new int[] {1}))).hasMessageContaining("does not belong to language model tiny-lm");
        assertThat(cache.length()).isZero();
    }
}
