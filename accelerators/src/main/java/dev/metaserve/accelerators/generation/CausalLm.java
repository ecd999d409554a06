package dev.metaserve.accelerators.generation;

import java.util.List;

/**
 * A decoder-only language model the generation engine drives, with a key/value cache per sequence. One
 * {@link #forward} runs new tokens of several sequences in one pass; each sequence's cache then holds its new tokens
 * too, and {@link KvCache#truncate} takes tokens back (rejected speculative proposals).
 *
 * <p>The engine calls a model from one thread. Implementations may keep state between passes (e.g. the last batch's
 * tensors) to save copying when the same caches come again in the same order.
 */
public interface CausalLm extends AutoCloseable {
    int vocabularySize();

    /** Most tokens a sequence may hold; positions run from 0 to this minus 1. */
    int contextLength();

    /** The token that ends a text (never handed to a sink). */
    int endOfTextId();

    /** An empty cache for a new sequence. */
    KvCache newCache();

    /**
     * Runs {@code chunks.get(i)} (at least one token each) after what {@code caches.get(i)} holds, for every i, in one
     * pass, and appends the chunks to their caches.
     *
     * @return per sequence, the logits after each of its new tokens: {@code result.get(i)[j]} (length
     *         {@link #vocabularySize()}) scores the token following {@code chunks.get(i)[j]}
     * @throws IllegalArgumentException when a chunk is empty, a cache is not this model's or appears twice, a token is
     *                                  outside the vocabulary, or a sequence would outgrow the context
     */
    List<float[][]> forward(List<KvCache> caches, List<int[]> chunks);

    /**
     * Like {@link #forward} when the logits are not needed (a prompt's tokens but its last), which lets an
     * implementation skip reading them out.
     */
    default void prefill(List<KvCache> caches, List<int[]> chunks) {
        forward(caches, chunks);
    }

    /** Releases the model's resources; its caches are unusable afterwards. */
    @Override
    void close();
}
