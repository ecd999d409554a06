package dev.metaserve.accelerators.generation;

import dev.metaserve.accelerators.QueueFullException;

/**
 * Runs generation jobs; implementations decode many jobs together (continuous batching: a job joins or leaves the
 * running batch at any step).
 */
public interface Generator extends AutoCloseable {
    /**
     * Queues a job. Its tokens and its end go to {@code sink}.
     *
     * @return a handle that cancels the job (e.g. its caller went away); the sink then hears nothing more
     * @throws QueueFullException       when too many jobs wait; nothing was queued
     * @throws IllegalArgumentException when the job cannot run on this model (e.g. the prompt does not fit the context,
     *                                  a token is outside the vocabulary, or the decoding needs a draft model there is
     *                                  none of)
     */
    Cancellable submit(GenerationJob job, TokenSink sink);

    /** Most tokens of prompt plus completion. */
    int contextLength();

    /** Stops decoding; jobs still running end with {@link TokenSink#onError}. */
    @Override
    void close();

    /** Cancels one job. */
    interface Cancellable {
        void cancel();
    }
}
