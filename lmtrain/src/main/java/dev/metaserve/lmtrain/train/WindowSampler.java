package dev.metaserve.lmtrain.train;

import java.util.SplittableRandom;

/** Draws training windows at seeded random offsets of a token stream: inputs and the next-token labels. */
public final class WindowSampler {
    private final int[] tokens;
    private final int windowLength;
    private final SplittableRandom random;

    /** A batch of windows, row-major {@code [batch, windowLength]}. */
    public record Batch(long[] inputs, long[] labels, int batchSize, int windowLength) {}

    public WindowSampler(int[] tokens, int windowLength, long seed) {
        if (tokens.length < windowLength + 1) {
            throw new IllegalArgumentException("token stream of " + tokens.length + " tokens is shorter than one window of "
                    + (windowLength + 1));
        }
        this.tokens = tokens;
        this.windowLength = windowLength;
        this.random = new SplittableRandom(seed);
    }

    public Batch next(int batchSize) {
        long[] inputs = new long[batchSize * windowLength];
        long[] labels = new long[batchSize * windowLength];
        for (int row = 0; row < batchSize; row++) {
            int start = random.nextInt(tokens.length - windowLength);
            for (int i = 0; i < windowLength; i++) {
                inputs[row * windowLength + i] = tokens[start + i];
                labels[row * windowLength + i] = tokens[start + i + 1];
            }
        }
        return new Batch(inputs, labels, batchSize, windowLength);
    }
}
