package dev.metaserve.lmtrain.train;

import ai.djl.training.tracker.Tracker;
import java.util.function.DoubleSupplier;

/**
 * Linear warm-up from 0 to the peak over {@code warmupSteps}, then cosine decay to {@code peak / 10}. Progress of the decay
 * is the larger of the share of planned steps done and the share of the time bound used (a supplier giving 0..1), so a
 * run cut short by its time bound still ends with a fully decayed learning rate.
 */
public final class WarmupCosineSchedule implements Tracker {
    private final float peak;
    private final int warmupSteps;
    private final int totalSteps;
    private final DoubleSupplier timeUsed;

    public WarmupCosineSchedule(float peak, int warmupSteps, int totalSteps, DoubleSupplier timeUsed) {
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = Math.max(totalSteps, warmupSteps + 1);
        this.timeUsed = timeUsed;
    }

    /** A schedule driven by steps alone. */
    public WarmupCosineSchedule(float peak, int warmupSteps, int totalSteps) {
        this(peak, warmupSteps, totalSteps, () -> 0);
    }

    /** @param numUpdate 1 for the first update (DJL counts updates from 1) */
    @Override
    public float getNewValue(int numUpdate) {
        if (numUpdate <= warmupSteps) {
            return peak * numUpdate / warmupSteps;
        }
        double stepProgress = (double) (numUpdate - warmupSteps) / (totalSteps - warmupSteps);
        double progress = Math.min(1.0, Math.max(stepProgress, timeUsed.getAsDouble()));
        float floor = peak / 10;
        return (float) (floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
