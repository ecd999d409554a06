package dev.metaserve.bench.e2e;

import dev.metaserve.bench.sweep.TextPool;

/**
 * One kind of request in the mixed workload: texts to embed ({@code textsPerRequest} of the pool per request) or
 * prompts to continue ({@code outputTokens} each), sent by {@code concurrency} closed-loop clients or, with open
 * arrivals, at {@code ratePerSecond} whatever the answers take. Request {@code i} takes the pool's texts from
 * {@code i * textsPerRequest} on, so every run sends the same texts in the same order.
 */
record TaskClass(String name, Phase phase, TextPool pool, int textsPerRequest, int outputTokens,
                 int concurrency, double ratePerSecond) {
    public TaskClass {
        if (textsPerRequest < 1 || concurrency < 1 || outputTokens < 0 || !(ratePerSecond > 0)) {
            throw new IllegalArgumentException("task class " + name + ": texts per request and concurrency must be"
                    + " >= 1, output tokens >= 0, the rate above 0");
        }
        if ((phase == Phase.GENERATION) != (outputTokens > 0)) {
            throw new IllegalArgumentException("task class " + name + ": a generation class, and only one, asks for"
                    + " output tokens");
        }
    }

    /** {@code emb-<pool>-x<texts>-c<concurrency>}. */
    public static TaskClass embedding(TextPool pool, int textsPerRequest, int concurrency, double ratePerSecond) {
        return new TaskClass("emb-" + pool.name() + "-x" + textsPerRequest + "-c" + concurrency, Phase.EMBEDDING,
                pool, textsPerRequest, 0, concurrency, ratePerSecond);
    }

    /** {@code gen-<pool>-to<tokens>-c<concurrency>}. */
    public static TaskClass generation(TextPool pool, int outputTokens, int concurrency, double ratePerSecond) {
        return new TaskClass("gen-" + pool.name() + "-to" + outputTokens + "-c" + concurrency, Phase.GENERATION,
                pool, 1, outputTokens, concurrency, ratePerSecond);
    }

    /** For people, e.g. {@code 8 long texts of about 120 tokens, concurrency 2}. */
    public String description() {
        String what = phase == Phase.GENERATION
                ? pool.inputKind() + " prompt of about " + pool.meanTokens() + " tokens -> " + outputTokens + " tokens"
                : textsPerRequest + " " + pool.name() + " text" + (textsPerRequest == 1 ? "" : "s") + " of about "
                        + pool.meanTokens() + " tokens";
        return what + ", concurrency " + concurrency;
    }
}
