package dev.metaserve.selector.online;

import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;

/**
 * The coarse key under which requests share live evidence: the task's model, kinds and objective, and its sizes
 * rounded up to a power of two. Requests of 40 and 60 input tokens learn together; 40 and 400 do not. The quality
 * tolerance is left out: it decides which candidates may be chosen, not how fast they are. So is the concurrency: the
 * load a request meets is each decision's load factor, not a belief. Keyed by it, a class split under a burst into
 * classes that knew nothing, just when the choice mattered most ({@code selector-e2e} under open arrivals: one
 * workload class in five concurrency classes, and its latency several times the best fixed plan's in the rounds where
 * it happened).
 *
 * @param inputTokensUpTo     input tokens, rounded up to a power of two
 * @param outputTokensUpTo    output tokens, rounded up to a power of two (0 stays 0)
 * @param textsPerRequestUpTo texts per request, rounded up to a power of two
 */
public record TaskClass(String model, String taskKind, String inputKind, Objective objective, int inputTokensUpTo,
        int outputTokensUpTo, int textsPerRequestUpTo) {

    public static TaskClass of(TaskProfile task) {
        return new TaskClass(task.model(), task.taskKind(), task.inputKind(), task.objective(),
                powerOfTwoAtLeast(task.inputTokens()), powerOfTwoAtLeast(task.outputTokens()),
                powerOfTwoAtLeast(task.textsPerRequest()));
    }

    /** The least power of two no smaller than {@code n}; 0 for 0. */
    public static int powerOfTwoAtLeast(int n) {
        if (n <= 1) {
            return Math.max(n, 0);
        }
        return n > (1 << 30) ? Integer.MAX_VALUE : Integer.highestOneBit(n - 1) << 1;
    }

    @Override
    public String toString() {
        return model + "/" + taskKind + "/" + inputKind + "/" + objective + "/in<=" + inputTokensUpTo + "/out<="
                + outputTokensUpTo + "/texts<=" + textsPerRequestUpTo;
    }
}
