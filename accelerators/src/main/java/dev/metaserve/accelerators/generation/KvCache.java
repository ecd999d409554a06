package dev.metaserve.accelerators.generation;

/** One sequence's keys and values in one {@link CausalLm}: what the model has seen of it so far. */
public interface KvCache {
    /** Tokens held. */
    int length();

    /**
     * Forgets every token from index {@code length} on (e.g. rejected speculative proposals).
     *
     * @throws IllegalArgumentException when {@code length} is negative or more than {@link #length()}
     */
    void truncate(int length);
}
