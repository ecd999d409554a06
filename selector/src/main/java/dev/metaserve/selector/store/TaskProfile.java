package dev.metaserve.selector.store;

import java.util.regex.Pattern;

/**
 * What was asked of the model: the task side of an observation, and what the selector will choose a plan for.
 *
 * @param model            model name as served, e.g. {@code all-minilm-l6-v2}
 * @param taskKind         operation, lower-case words joined by hyphens: {@code embedding}, {@code text-generation}
 * @param inputTokens      prompt tokens per request (mean, for a sweep cell), at least 1
 * @param outputTokens     generated tokens per request; 0 for embeddings
 * @param concurrency      requests in flight at once from the client side, at least 1
 * @param objective        latency or throughput
 * @param qualityTolerance the most quality loss versus fp32 plain the task accepts, on the scale of
 *                         {@link Measurement#qualityDelta()} (e.g. 0.01); 0 or more
 */
public record TaskProfile(String model, String taskKind, int inputTokens, int outputTokens, int concurrency,
        Objective objective, double qualityTolerance) {
    /** Task kind of sentence embeddings, which generate no tokens. */
    public static final String EMBEDDING = "embedding";
    /** Task kind of text generation. */
    public static final String TEXT_GENERATION = "text-generation";

    static final int MAX_MODEL_LENGTH = 200;
    static final int MAX_TASK_KIND_LENGTH = 64;
    private static final Pattern TASK_KIND = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final String OWNER = "task profile";

    public TaskProfile {
        Checks.text(model, OWNER, "model", MAX_MODEL_LENGTH);
        Checks.text(taskKind, OWNER, "task kind", MAX_TASK_KIND_LENGTH);
        if (!TASK_KIND.matcher(taskKind).matches()) {
            throw new IllegalArgumentException(OWNER + ": task kind '" + taskKind
                    + "' must be lower-case words joined by hyphens, e.g. 'embedding' or 'text-generation'");
        }
        Checks.atLeast(inputTokens, 1, OWNER, "input tokens");
        Checks.atLeast(outputTokens, 0, OWNER, "output tokens");
        if (taskKind.equals(EMBEDDING) && outputTokens != 0) {
            throw new IllegalArgumentException(OWNER + ": an embedding generates no tokens, but output tokens was "
                    + outputTokens);
        }
        Checks.atLeast(concurrency, 1, OWNER, "concurrency");
        Checks.present(objective, OWNER, "objective");
        Checks.finiteNonNegative(qualityTolerance, OWNER, "quality tolerance");
    }
}
