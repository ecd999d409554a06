package dev.metaserve.lmtrain.train;

import java.time.Duration;

/**
 * How long and how to train.
 *
 * @param batchSize windows per step
 * @param windowLength tokens per window (at most the model's context length)
 * @param steps optimizer steps planned; the learning-rate schedule spans them
 * @param maxDuration wall-clock bound: training stops after the step that crosses it
 * @param peakLearningRate learning rate after warm-up
 * @param warmupSteps linear warm-up from 0 to the peak, then cosine decay to a tenth of it at {@code steps}
 * @param weightDecay AdamW decoupled weight decay
 * @param seed seeds the initialization and the window sampler
 */
public record TrainingSettings(int batchSize, int windowLength, int steps, Duration maxDuration, float peakLearningRate,
                               int warmupSteps, float weightDecay, long seed) {
    public TrainingSettings {
        if (batchSize < 1 || windowLength < 2 || steps < 1) {
            throw new IllegalArgumentException("batchSize, windowLength (>= 2) and steps must be positive: " + batchSize + ", "
                    + windowLength + ", " + steps);
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive, got " + maxDuration);
        }
        if (!(peakLearningRate > 0) || warmupSteps < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("peakLearningRate must be positive, warmupSteps and weightDecay not negative");
        }
    }
}
