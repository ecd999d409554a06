package dev.metaserve.bench.sweep;

import dev.metaserve.selector.store.TaskProfile;

/**
 * What a cell asks of a model, apart from the plan, the concurrency and the node: texts to embed (a pool and how many
 * per request) or prompts to continue (a pool and how many tokens to generate).
 *
 * @param model           the model's name as served
 * @param taskKind        {@link TaskProfile#EMBEDDING} or {@link TaskProfile#TEXT_GENERATION}
 * @param pool            the texts, taken in turn
 * @param textsPerRequest texts one embedding request carries; 1 for generation
 * @param outputTokens    tokens each generation request asks for ({@code max_tokens}); 0 for embeddings
 */
record Workload(String model, String taskKind, TextPool pool, int textsPerRequest, int outputTokens) {
    static final String ENCODER = "all-minilm-l6-v2";
    static final String LANGUAGE_MODEL = "austen-kjv";

    static Workload embedding(TextPool pool, int textsPerRequest) {
        return new Workload(ENCODER, TaskProfile.EMBEDDING, pool, textsPerRequest, 0);
    }

    static Workload generation(TextPool pool, int outputTokens) {
        return new Workload(LANGUAGE_MODEL, TaskProfile.TEXT_GENERATION, pool, 1, outputTokens);
    }

    boolean isGeneration() {
        return taskKind.equals(TaskProfile.TEXT_GENERATION);
    }

    String label() {
        return model + " " + pool.name() + " (" + pool.meanTokens() + " tokens)"
                + (isGeneration() ? " -> " + outputTokens + " tokens" : " x" + textsPerRequest);
    }
}
