package dev.metaserve.accelerators.generation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small deterministic language model for unit tests (the fake at the edge): the logits of the next token are a
 * seeded random table row chosen by the last two tokens and the sum of all tokens mod 3, so a cache holding a wrong
 * token anywhere changes what comes out. A "draft" is the same table plus seeded noise. It checks what the engine
 * sends it like a real model would (empty chunks, foreign caches, context overflow).
 */
final class ToyLm implements CausalLm {
    private final int vocabularySize;
    private final int contextLength;
    private final int endOfTextId;
    private final float[][] table;
    final AtomicInteger passes = new AtomicInteger();
    final List<Integer> batchSizes = new ArrayList<>();
    /** A pass holding this token throws, as a failing model would. */
    volatile int failOnToken = -1;
    /** When set, every pass first counts {@code entered} down and waits for {@code release}. */
    volatile CountDownLatch entered;
    volatile CountDownLatch release;

    private ToyLm(int vocabularySize, int contextLength, int endOfTextId, float[][] table) {
        this.vocabularySize = vocabularySize;
        this.contextLength = contextLength;
        this.endOfTextId = endOfTextId;
        this.table = table;
    }

    /**
     * @param sharpness scale of the random logits (higher: more peaked distributions)
     * @param endOfText the end-of-text id, or -1 for a model that never ends (its last id then is an ordinary token
     *                  and end-of-text is reported as an id outside the vocabulary's reach)
     */
    static ToyLm random(int vocabularySize, int contextLength, long seed, double sharpness, int endOfText) {
        Random random = new Random(seed);
        float[][] table = new float[(vocabularySize + 1) * vocabularySize * 3][vocabularySize];
        for (float[] row : table) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (random.nextGaussian() * sharpness);
            }
        }
        return new ToyLm(vocabularySize, contextLength, endOfText < 0 ? Integer.MAX_VALUE : endOfText, table);
    }

    /** The same model with seeded gaussian noise of scale {@code noise} added to every logit: a draft. */
    ToyLm noisyCopy(long seed, double noise) {
        Random random = new Random(seed);
        float[][] copy = new float[table.length][];
        for (int r = 0; r < table.length; r++) {
            copy[r] = table[r].clone();
            for (int i = 0; i < copy[r].length; i++) {
                copy[r][i] += (float) (random.nextGaussian() * noise);
            }
        }
        return new ToyLm(vocabularySize, contextLength, endOfTextId, copy);
    }

    /** The logits after {@code prefix} (at least one token). */
    float[] logitsAfter(List<Integer> prefix) {
        int n = prefix.size();
        int last = prefix.get(n - 1);
        int beforeLast = n > 1 ? prefix.get(n - 2) : vocabularySize;
        int sum = 0;
        for (int token : prefix) {
            sum += token;
        }
        return table[(beforeLast * vocabularySize + last) * 3 + sum % 3].clone();
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int endOfTextId() {
        return endOfTextId;
    }

    @Override
    public KvCache newCache() {
        return new Cache();
    }

    @Override
    public List<float[][]> forward(List<KvCache> caches, List<int[]> chunks) {
        awaitGate();
        passes.incrementAndGet();
        synchronized (batchSizes) {
            batchSizes.add(caches.size());
        }
        if (caches.size() != chunks.size() || caches.isEmpty()) {
            throw new IllegalArgumentException("caches and chunks must pair up");
        }
        Set<KvCache> seen = new HashSet<>();
        for (int i = 0; i < caches.size(); i++) {
            if (!(caches.get(i) instanceof Cache cache) || cache.owner() != this || !seen.add(cache)) {
                throw new IllegalArgumentException("foreign or repeated cache");
            }
            int[] chunk = chunks.get(i);
            if (chunk.length == 0 || cache.tokens.size() + chunk.length > contextLength) {
                throw new IllegalArgumentException("empty chunk or context overflow");
            }
            for (int token : chunk) {
                if (token < 0 || token >= vocabularySize) {
                    throw new IllegalArgumentException("token " + token);
                }
                if (token == failOnToken) {
                    throw new IllegalStateException("model failed on token " + token);
                }
            }
        }
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < caches.size(); i++) {
            Cache cache = (Cache) caches.get(i);
            int[] chunk = chunks.get(i);
            float[][] rows = new float[chunk.length][];
            for (int j = 0; j < chunk.length; j++) {
                cache.tokens.add(chunk[j]);
                rows[j] = logitsAfter(cache.tokens);
            }
            out.add(rows);
        }
        return out;
    }

    private void awaitGate() {
        CountDownLatch in = entered;
        CountDownLatch gate = release;
        if (in != null) {
            in.countDown();
        }
        if (gate != null) {
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {}

    private final class Cache implements KvCache {
        final List<Integer> tokens = new ArrayList<>();

        ToyLm owner() {
            return ToyLm.this;
        }

        @Override
        public int length() {
            return tokens.size();
        }

        @Override
        public void truncate(int length) {
            if (length < 0 || length > tokens.size()) {
                throw new IllegalArgumentException("truncate to " + length + " of " + tokens.size());
            }
            tokens.subList(length, tokens.size()).clear();
        }
    }
}
