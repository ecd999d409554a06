package dev.metaserve.accelerators.generation;

import dev.metaserve.accelerators.Decoding;

/**
 * One request to continue a token sequence.
 *
 * @param promptTokens at least one token; prompt plus {@code maxTokens} may exceed the model's context, in which case
 *                     generation ends with {@link FinishReason#LENGTH} when the context is full
 * @param maxTokens    most tokens to generate, at least 1
 * @param sampling     greedy or sampled
 * @param decoding     plain or speculative; speculative decoding never changes what is generated, only how fast
 */
public record GenerationJob(int[] promptTokens, int maxTokens, SamplingParams sampling, Decoding decoding) {
    public GenerationJob {
        if (promptTokens == null || promptTokens.length == 0) {
            throw new IllegalArgumentException("the prompt must hold at least one token");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be at least 1, was " + maxTokens);
        }
        if (sampling == null || decoding == null) {
            throw new IllegalArgumentException("sampling and decoding must not be null");
        }
        promptTokens = promptTokens.clone();
    }

    @Override
    public int[] promptTokens() {
        return promptTokens.clone();
    }
}
