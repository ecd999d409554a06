package dev.metaserve.accelerators.generation;

import dev.metaserve.accelerators.Decoding;
import java.util.Arrays;
import java.util.SplittableRandom;

/** A job inside the engine: its tokens so far, its caches, its random source, what it cost. Decoding thread only. */
final class ActiveJob {
    final GenerationJob job;
    final TokenSink sink;
    final SamplingParams sampling;
    final Decoding decoding;
    /** The job's own random source, so its draws do not depend on the jobs beside it. */
    final SplittableRandom random;
    final int promptLength;
    /** Prompt then generated tokens; room for the whole context. */
    final int[] tokens;
    int length;
    int generated;
    KvCache targetCache;
    KvCache draftCache;
    volatile boolean cancelled;

    int proposedTokens;
    int acceptedTokens;
    int targetPasses;

    /** This step's proposals and, for a sampled draft, the distributions they were drawn from (else null entries). */
    int[] proposals = new int[0];
    double[][] proposalDistributions = new double[0][];

    ActiveJob(GenerationJob job, TokenSink sink, int contextLength) {
        this.job = job;
        this.sink = sink;
        this.sampling = job.sampling();
        this.decoding = job.decoding();
        this.random = new SplittableRandom(sampling.seed());
        int[] prompt = job.promptTokens();
        this.promptLength = prompt.length;
        this.tokens = Arrays.copyOf(prompt, contextLength);
        this.length = prompt.length;
    }

    boolean drafts() {
        return decoding instanceof Decoding.Draft;
    }

    /** Tokens the cache has not seen yet: at least the last one, more after a prefill-free start or a skipped draft. */
    int[] unseenBy(KvCache cache) {
        return Arrays.copyOfRange(tokens, cache.length(), length);
    }

    /** The unseen tokens followed by this step's proposals: what the target runs this step. */
    int[] targetChunk() {
        int[] unseen = unseenBy(targetCache);
        int[] chunk = Arrays.copyOf(unseen, unseen.length + proposals.length);
        System.arraycopy(proposals, 0, chunk, unseen.length, proposals.length);
        return chunk;
    }

    void propose(int[] tokensProposed, double[][] distributions) {
        proposals = tokensProposed;
        proposalDistributions = distributions;
        proposedTokens += tokensProposed.length;
    }

    int remainingTokens() {
        return job.maxTokens() - generated;
    }

    GenerationStats stats() {
        return new GenerationStats(promptLength, generated, proposedTokens, acceptedTokens, targetPasses);
    }
}
