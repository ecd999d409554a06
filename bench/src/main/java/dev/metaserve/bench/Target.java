package dev.metaserve.bench;

/** Something that answers one inference call for a text, blocking; implementations are thread-safe. */
public interface Target extends AutoCloseable {
    /** Sends one request and waits for its answer; throws if it failed. */
    void call(String text) throws Exception;

    String name();

    @Override
    default void close() throws Exception {}
}
