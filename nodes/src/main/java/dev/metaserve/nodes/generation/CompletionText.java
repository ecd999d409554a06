package dev.metaserve.nodes.generation;

import dev.metaserve.models.bpe.BpeTokenizer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns a job's tokens into the text a client may see so far. Two things are held back: the bytes of a character
 * whose UTF-8 encoding is not complete yet (a token may end inside it), and text that might be the start of a stop
 * sequence. When a stop sequence appears the text is cut before it and {@link #stopped()} turns true; nothing after
 * it is ever returned. Not thread-safe: one job's tokens arrive in order on one thread at a time.
 */
public final class CompletionText {
    private final BpeTokenizer tokenizer;
    private final List<String> stops;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** Bytes not yet decoded: the start of a character whose last bytes have not arrived. */
    private ByteBuffer pendingBytes = ByteBuffer.allocate(0);
    /** Decoded text not yet returned, because a stop sequence might begin in it. */
    private String held = "";
    private boolean stopped;

    public CompletionText(BpeTokenizer tokenizer, List<String> stops) {
        this.tokenizer = tokenizer;
        this.stops = List.copyOf(stops);
    }

    /**
     * What one {@link #append} gave: the text that may be shown now (possibly empty), and how many of the tokens passed
     * in were used. That is all of them, unless a stop sequence completed inside the tokens: then it is those up to and
     * including the token that completed it, the ones after it being dropped as if they had never been generated.
     */
    public record Appended(String text, int tokens) {}

    /**
     * Takes the next tokens (one step of the engine, which may be several with speculative decoding). They are read one
     * at a time, exactly as if each had come in a step of its own, so the text, the stop and the count of tokens used
     * do not depend on how many tokens a step delivers.
     */
    public Appended append(int[] tokens) {
        if (stopped) {
            return new Appended("", 0);
        }
        StringBuilder shown = new StringBuilder();
        int[] one = new int[1];
        for (int i = 0; i < tokens.length; i++) {
            one[0] = tokens[i];
            shown.append(release(decode(tokenizer.decodeBytes(one), false)));
            if (stopped) {
                return new Appended(shown.toString(), i + 1);
            }
        }
        return new Appended(shown.toString(), tokens.length);
    }

    /**
     * The job ended: returns what was held back (an incomplete last character becomes U+FFFD), still cut at a stop
     * sequence should one complete here.
     */
    public String finish() {
        if (stopped) {
            return "";
        }
        String rest = decode(new byte[0], true);
        String text = cutAtStop(held + rest);
        held = "";
        return text;
    }

    /** True once a stop sequence has been seen; the job should end. */
    public boolean stopped() {
        return stopped;
    }

    private String decode(byte[] bytes, boolean endOfInput) {
        ByteBuffer in = ByteBuffer.allocate(pendingBytes.remaining() + bytes.length);
        in.put(pendingBytes).put(bytes).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 2);
        utf8.decode(in, out, endOfInput);
        if (endOfInput) {
            utf8.flush(out);
            utf8.reset();
        }
        pendingBytes = in.slice();
        return out.flip().toString();
    }

    /** Returns the part of held + text no stop sequence can begin in; keeps the rest held. */
    private String release(String text) {
        String all = held + text;
        int stopAt = firstStop(all);
        if (stopAt >= 0) {
            stopped = true;
            held = "";
            return all.substring(0, stopAt);
        }
        int keep = longestSuffixStartingAStop(all);
        held = all.substring(all.length() - keep);
        return all.substring(0, all.length() - keep);
    }

    private String cutAtStop(String text) {
        int stopAt = firstStop(text);
        if (stopAt >= 0) {
            stopped = true;
            return text.substring(0, stopAt);
        }
        return text;
    }

    /** Where the earliest stop sequence begins in {@code text}, or -1. */
    private int firstStop(String text) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** Length of the longest end of {@code text} that is a proper beginning of some stop sequence. */
    private int longestSuffixStartingAStop(String text) {
        int longest = 0;
        for (String stop : stops) {
            for (int length = Math.min(stop.length() - 1, text.length()); length > longest; length--) {
                if (text.regionMatches(text.length() - length, stop, 0, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
