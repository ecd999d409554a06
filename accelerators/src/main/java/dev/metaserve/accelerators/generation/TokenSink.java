package dev.metaserve.accelerators.generation;

/**
 * Where a job's tokens go. Calls come from the engine's decoding thread, in order, never concurrently for one job;
 * they must return quickly (hand the tokens on, do not block).
 */
public interface TokenSink {
    /**
     * Tokens decoded in one step (one or more; speculative steps may give several). End-of-text is never passed.
     *
     * @return false to end the job now (e.g. a stop sequence was seen); it then finishes with {@link FinishReason#STOP}
     */
    boolean onTokens(int[] tokens);

    /** The job ended normally; called exactly once, unless {@link #onError} is. */
    void onFinished(FinishReason reason, GenerationStats stats);

    /** The job failed (the model failed, or the engine was closed); called at most once, and then nothing else. */
    void onError(Throwable error);
}
