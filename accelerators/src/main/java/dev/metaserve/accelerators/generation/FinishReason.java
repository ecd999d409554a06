package dev.metaserve.accelerators.generation;

import java.util.Locale;

/** Why a job ended, in OpenAI's words. */
public enum FinishReason {
    /** The model produced end-of-text, or the caller stopped it (a stop sequence). */
    STOP,
    /** {@code maxTokens} reached, or the model's context is full. */
    LENGTH;

    /** {@code stop} or {@code length}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
