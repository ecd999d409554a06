package dev.metaserve.bench.sweep;

import dev.metaserve.bench.Sentences;
import dev.metaserve.models.SentenceTokenizer;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * What the sweep embeds, real text shipped with the bench: {@code short}, sentences of 8 to 12 tokens (about 10) taken
 * alternately from the Austen sentences and the King James verses; {@code long}, passages of at least 100 tokens made
 * by joining consecutive held-out Austen sentences, alternating with runs of consecutive King James verses. Token
 * counts are the encoder's, {@code [CLS]} and {@code [SEP]} included, as a node reports them.
 */
public final class EmbeddingTexts {
    static final int SHORT_MIN_TOKENS = 8;
    static final int SHORT_MAX_TOKENS = 12;
    static final int LONG_MIN_TOKENS = 100;

    private EmbeddingTexts() {}

    /** The pool for a length name, {@code short} or {@code long}, of {@code count} texts. */
    public static TextPool pool(String length, int count) {
        try (SentenceTokenizer tokenizer = SentenceTokenizer.load(256)) {
            return switch (length) {
                case "short" -> shortSentences(tokenizer, count);
                case "long" -> longPassages(tokenizer, count);
                default -> throw new IllegalArgumentException("embedding text length '" + length
                        + "' is neither 'short' nor 'long'");
            };
        }
    }

    private static TextPool shortSentences(SentenceTokenizer tokenizer, int count) {
        List<List<String>> sources = List.of(Sentences.bundled(), Sentences.kjvCalibration());
        List<String> texts = new ArrayList<>();
        long tokens = 0;
        int[] next = new int[sources.size()];
        for (int turn = 0; texts.size() < count; turn++) {
            int source = turn % sources.size();
            List<String> candidates = sources.get(source);
            while (next[source] < candidates.size()) {
                String sentence = candidates.get(next[source]++);
                int n = tokens(tokenizer, sentence);
                if (n >= SHORT_MIN_TOKENS && n <= SHORT_MAX_TOKENS) {
                    texts.add(sentence);
                    tokens += n;
                    break;
                }
            }
            if (next[0] >= sources.get(0).size() && next[1] >= sources.get(1).size()) {
                throw new IllegalStateException("only " + texts.size() + " bundled sentences have " + SHORT_MIN_TOKENS
                        + " to " + SHORT_MAX_TOKENS + " tokens, not " + count);
            }
        }
        return new TextPool("short", TaskProfile.PROSE, texts, (int) Math.round((double) tokens / texts.size()));
    }

    private static TextPool longPassages(SentenceTokenizer tokenizer, int count) {
        List<List<String>> sources = List.of(Sentences.austenHeldOut(), Sentences.kjvCalibration());
        List<String> texts = new ArrayList<>();
        long tokens = 0;
        int[] next = new int[sources.size()];
        for (int turn = 0; texts.size() < count; turn++) {
            int source = turn % sources.size();
            List<String> sentences = sources.get(source);
            StringBuilder passage = new StringBuilder();
            int n = 0;
            while (n < LONG_MIN_TOKENS) {
                if (next[source] >= sentences.size()) {
                    throw new IllegalStateException("the bundled text makes only " + texts.size() + " passages of "
                            + LONG_MIN_TOKENS + " tokens, not " + count);
                }
                passage.append(passage.length() == 0 ? "" : " ").append(sentences.get(next[source]++));
                n = tokens(tokenizer, passage.toString());
            }
            texts.add(passage.toString());
            tokens += n;
        }
        return new TextPool("long", TaskProfile.PROSE, texts, (int) Math.round((double) tokens / texts.size()));
    }

    private static int tokens(SentenceTokenizer tokenizer, String text) {
        return tokenizer.tokenize(List.of(text)).tokenCounts()[0];
    }
}
