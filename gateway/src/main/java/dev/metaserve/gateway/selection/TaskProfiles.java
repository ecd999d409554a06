package dev.metaserve.gateway.selection;

import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request's task profile, as the selector sees it. Sizes are coarse: token counts and concurrency are rounded up to
 * a power of four, so that requests of one kind of traffic share evidence (the policy's classes round to powers of two,
 * which splits short texts of 8 and 9 tokens, or a client of 4 requests in flight beside others at 5, into two). The gateway has no tokenizer, so token counts are estimates (4
 * bytes of UTF-8 per token, about what the encoder's WordPiece and the language model's BPE give on English), and the
 * input kind is judged from the words: {@code repetitive} when enough of its word trigrams occurred before in the same
 * text (a summary or an edit repeating its source), else {@code prose}.
 */
public final class TaskProfiles {
    /** Bytes of UTF-8 per estimated token. */
    static final double BYTES_PER_TOKEN = 4.0;
    /** Share of word trigrams seen before in the text from which an input counts as repetitive. */
    static final double REPETITIVE_SHARE = 0.15;
    /** Words looked at: enough to judge a text, and a long request costs no more than a short one to profile. */
    static final int MAX_WORDS = 400;
    /** Characters looked at for the words: about 12 per word with its separator is plenty for MAX_WORDS words. */
    static final int SAMPLE_CHARS = MAX_WORDS * 12;

    private TaskProfiles() {}

    /**
     * @param texts       the request's texts (at least one)
     * @param concurrency requests of this model in flight at the gateway, this one included
     */
    public static TaskProfile embedding(String model, List<String> texts, int concurrency, Objective objective,
            double qualityTolerance) {
        long tokens = 0;
        StringBuilder sample = new StringBuilder(); // the texts joined, as far as the input kind looks
        for (String text : texts) {
            tokens += estimateTokens(text);
            if (sample.length() < SAMPLE_CHARS) {
                sample.append(text, 0, Math.min(text.length(), SAMPLE_CHARS - sample.length())).append('\n');
            }
        }
        int perText = (int) Math.max(1, Math.round((double) tokens / Math.max(1, texts.size())));
        return new TaskProfile(model, TaskProfile.EMBEDDING, inputKind(sample.toString()), coarse(perText), 0,
                Math.max(1, texts.size()), coarse(concurrency), objective, qualityTolerance);
    }

    /** @param maxTokens the most tokens the request may generate */
    public static TaskProfile generation(String model, String prompt, int maxTokens, int concurrency,
            Objective objective, double qualityTolerance) {
        return new TaskProfile(model, TaskProfile.TEXT_GENERATION, inputKind(prompt), coarse(estimateTokens(prompt)),
                Math.max(0, maxTokens), 1, coarse(concurrency), objective, qualityTolerance);
    }

    /** The least power of four no smaller than {@code n} (at least 1). */
    static int coarse(int n) {
        int level = 1;
        while (level < n && level < (1 << 28)) {
            level <<= 2;
        }
        return level;
    }

    /** Estimated tokens of a text, at least 1. */
    static int estimateTokens(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return (int) Math.max(1, Math.ceil(bytes / BYTES_PER_TOKEN));
    }

    /** {@code repetitive} or {@code prose}, by the share of word trigrams that repeat an earlier one. */
    static String inputKind(String text) {
        return repeatedTrigramShare(text) >= REPETITIVE_SHARE ? TaskProfile.REPETITIVE : TaskProfile.PROSE;
    }

    /**
     * Share of the word trigrams (lower-cased letters and digits) among the text's first {@value #MAX_WORDS} words that
     * occurred earlier in it; 0 if none.
     */
    static double repeatedTrigramShare(String text) {
        String head = text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) : text;
        String[] words = head.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        Set<String> seen = new HashSet<>();
        int trigrams = 0;
        int repeated = 0;
        int seenWords = 0;
        String a = null;
        String b = null;
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            if (++seenWords > MAX_WORDS) {
                break;
            }
            if (a != null) {
                trigrams++;
                if (!seen.add(a + ' ' + b + ' ' + word)) {
                    repeated++;
                }
            }
            a = b;
            b = word;
        }
        return trigrams == 0 ? 0 : (double) repeated / trigrams;
    }
}
