package dev.metaserve.accelerators.generation;

/**
 * What one job cost.
 *
 * @param promptTokens     tokens of the prompt
 * @param generatedTokens  tokens handed to the sink (end-of-text is not counted, nor handed over)
 * @param proposedTokens   speculative decoding: tokens proposed by the draft model or the n-gram lookup
 * @param acceptedTokens   of those, tokens the target model accepted
 * @param targetPasses     target-model passes this job took part in (its prefill is one)
 */
public record GenerationStats(int promptTokens, int generatedTokens, int proposedTokens, int acceptedTokens,
                              int targetPasses) {
    /** Accepted over proposed, or 0 when nothing was proposed. */
    public double acceptanceRate() {
        return proposedTokens == 0 ? 0 : (double) acceptedTokens / proposedTokens;
    }
}
