package dev.metaserve.selector.store;

import java.util.regex.Pattern;

/**
 * What was asked of the model: the task side of an observation, and what the selector will choose a plan for.
 *
 * @param model            model name as served, e.g. {@code all-minilm-l6-v2}
 * @param taskKind         operation, lower-case words joined by hyphens: {@code embedding}, {@code text-generation}
 * @param inputKind        what the input text is like, lower-case words joined by hyphens: {@code prose} (sentences
 *                         of ordinary text), {@code repetitive} (text that repeats itself, as summaries and code do,
 *                         where n-gram drafting pays)
 * @param inputTokens      prompt tokens per text (mean, for a sweep cell), at least 1
 * @param outputTokens     generated tokens per request; 0 for embeddings
 * @param textsPerRequest  texts one request carries (embedding batch rows); 1 for generation
 * @param concurrency      requests in flight at once from the client side, at least 1
 * @param objective        latency or throughput
 * @param qualityTolerance the most quality loss versus fp32 plain the task accepts, on the scale of
 *                         {@link Measurement#qualityDelta()} (e.g. 0.01); 0 or more
 */
public record TaskProfile(String model, String taskKind, String inputKind, int inputTokens, int outputTokens,
        int textsPerRequest, int concurrency, Objective objective, double qualityTolerance) {
    /** Task kind of sentence embeddings, which generate no tokens. */
    public static final String EMBEDDING = "embedding";
    /** Task kind of text generation. */
    public static final String TEXT_GENERATION = "text-generation";
    /** Input of ordinary sentences. */
    public static final String PROSE = "prose";
    /** Input that repeats itself (summaries, code, lists). */
    public static final String REPETITIVE = "repetitive";

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
        Checks.text(inputKind, OWNER, "input kind", MAX_TASK_KIND_LENGTH);
        if (!TASK_KIND.matcher(inputKind).matches()) {
            throw new IllegalArgumentException(OWNER + ": input kind '" + inputKind
                    + "' must be lower-case words joined by hyphens, e.g. 'prose' or 'repetitive'");
        }
        Checks.atLeast(inputTokens, 1, OWNER, "input tokens");
        Checks.atLeast(textsPerRequest, 1, OWNER, "texts per request");
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
