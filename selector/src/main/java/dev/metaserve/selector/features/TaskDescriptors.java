package dev.metaserve.selector.features;

import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;

/** Numeric descriptors of a task profile: sizes on a log scale and one-hots of the kinds. */
public final class TaskDescriptors {
    /** Names, in the order of {@link #of}. */
    public static final List<String> NAMES = List.of("log2_input_tokens", "log2_output_tokens", "log2_texts",
            "log2_concurrency", "log2_tokens_per_request", "log2_rows_in_flight", "task_embedding",
            "task_text_generation", "input_prose", "input_repetitive", "objective_latency", "objective_throughput",
            "log10_tolerance");

    private TaskDescriptors() {}

    public static double[] of(TaskProfile t) {
        return new double[] {
            log2(t.inputTokens()),
            log2(1.0 + t.outputTokens()),
            log2(t.textsPerRequest()),
            log2(t.concurrency()),
            log2((double) t.inputTokens() * t.textsPerRequest()),
            log2((double) t.concurrency() * t.textsPerRequest()),
            flag(t.taskKind().equals(TaskProfile.EMBEDDING)),
            flag(t.taskKind().equals(TaskProfile.TEXT_GENERATION)),
            flag(t.inputKind().equals(TaskProfile.PROSE)),
            flag(t.inputKind().equals(TaskProfile.REPETITIVE)),
            flag(t.objective() == Objective.LATENCY),
            flag(t.objective() == Objective.THROUGHPUT),
            Math.log10(t.qualityTolerance() + 1e-4),
        };
    }

    public static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    static double flag(boolean b) {
        return b ? 1 : 0;
    }
}
