package dev.metaserve.models.bpe;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces BPE works inside; merges never cross a piece boundary. The rule is GPT-2's:
 * an English contraction suffix ({@code 's 't 're 've 'm 'll 'd}, lower case), or an optional single space
 * followed by a run of letters, a run of digits, or a run of other non-space characters; whitespace runs
 * leave their last space to the word that follows ({@code "a  b"} gives {@code "a", " ", " b"}).
 * "Whitespace" is the ASCII set {@code [ \t\n\x0B\f\r]}; other space characters count as punctuation.
 * The pieces always concatenate back to the input.
 */
final class Pretokenizer {
    /** Named in the saved file so that a file is never read with a different rule. */
    static final String NAME = "gpt2-v1";

    private static final Pattern PIECE = Pattern.compile(
            "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private Pretokenizer() {}

    /** Passes each piece of {@code text}, in order, to {@code sink}. */
    static void split(CharSequence text, Consumer<String> sink) {
        Matcher matcher = PIECE.matcher(text);
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() > end) {
                // cannot happen with the alternatives above (every character matches one), kept for safety
                sink.accept(text.subSequence(end, matcher.start()).toString());
            }
            sink.accept(matcher.group());
            end = matcher.end();
        }
        if (end < text.length()) {
            sink.accept(text.subSequence(end, text.length()).toString());
        }
    }

    /**
     * Like {@link #split} but first cuts {@code text} at each literal {@code special} string; the parts
     * between are split into pieces, each occurrence of {@code special} goes to {@code onSpecial}.
     */
    static void splitAround(String text, String special, Consumer<String> sink, Runnable onSpecial) {
        int from = 0;
        int at;
        while ((at = text.indexOf(special, from)) >= 0) {
            split(text.substring(from, at), sink);
            onSpecial.run();
            from = at + special.length();
        }
        split(from == 0 ? text : text.substring(from), sink);
    }
}
