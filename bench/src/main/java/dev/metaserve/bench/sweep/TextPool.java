package dev.metaserve.bench.sweep;

import java.util.List;

/**
 * The texts of one kind of input, which requests take in turn: sentences or passages to embed, or prompts to continue.
 *
 * @param name       for people and for caching, e.g. {@code short} or {@code repetitive-128}
 * @param inputKind  the task profile's input kind: {@code prose} or {@code repetitive}
 * @param texts      the texts, at least one
 * @param meanTokens tokens per text by the model's own tokenizer (the encoder's counts {@code [CLS]} and {@code [SEP]}),
 *                   mean over the pool, rounded; the task profile's input tokens
 */
public record TextPool(String name, String inputKind, List<String> texts, int meanTokens) {
    public TextPool {
        texts = List.copyOf(texts);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("text pool " + name + " is empty");
        }
        if (meanTokens < 1) {
            throw new IllegalArgumentException("text pool " + name + ": mean tokens must be >= 1, was " + meanTokens);
        }
    }

    public String text(int index) {
        return texts.get(Math.floorMod(index, texts.size()));
    }

    public int size() {
        return texts.size();
    }
}
