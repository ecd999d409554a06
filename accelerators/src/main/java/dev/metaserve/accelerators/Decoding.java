package dev.metaserve.accelerators;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a text-generation request turns model passes into tokens. {@link Plain} asks the target model for one token per
 * pass; the speculative kinds propose {@code k} tokens cheaply and let the target verify them all in one pass:
 * {@link Draft} proposes with the small draft model, {@link Ngram} by looking the last {@code n} tokens up earlier
 * in the sequence (prompt lookup). Text forms: {@code plain}, {@code draft(K)}, {@code ngram(K,N)}.
 */
public sealed interface Decoding permits Decoding.Plain, Decoding.Draft, Decoding.Ngram {
    /** Most tokens one speculative step may propose. */
    int MAX_PROPOSED = 16;
    /** Longest n-gram looked up. */
    int MAX_NGRAM = 8;

    Decoding PLAIN = new Plain();

    /** One target pass per token. */
    record Plain() implements Decoding {
        @Override
        public String toString() {
            return "plain";
        }
    }

    /** The draft model proposes {@code k} tokens, in [1, {@value #MAX_PROPOSED}]. */
    record Draft(int k) implements Decoding {
        public Draft {
            checkK(k, "draft");
        }

        @Override
        public String toString() {
            return "draft(" + k + ")";
        }
    }

    /**
     * The {@code k} tokens (in [1, {@value #MAX_PROPOSED}]) that followed the latest earlier occurrence of the last
     * {@code n} tokens (in [1, {@value #MAX_NGRAM}]) are proposed; nothing is proposed when there is none.
     */
    record Ngram(int k, int n) implements Decoding {
        public Ngram {
            checkK(k, "ngram");
            if (n < 1 || n > MAX_NGRAM) {
                throw new IllegalArgumentException("ngram decoding: n must be in [1, " + MAX_NGRAM + "], was " + n);
            }
        }

        @Override
        public String toString() {
            return "ngram(" + k + "," + n + ")";
        }
    }

    /** Tokens proposed per step: 0 for plain decoding. */
    default int proposed() {
        if (this instanceof Draft d) {
            return d.k();
        }
        if (this instanceof Ngram g) {
            return g.k();
        }
        return 0;
    }

    private static void checkK(int k, String kind) {
        if (k < 1 || k > MAX_PROPOSED) {
            throw new IllegalArgumentException(kind + " decoding: k must be in [1, " + MAX_PROPOSED + "], was " + k);
        }
    }

    /**
     * Reads {@code plain}, {@code draft(K)} or {@code ngram(K,N)} (blanks allowed, case ignored); the inverse of
     * {@link #toString()}.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    static Decoding parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("decoding must be 'plain', 'draft(K)' or 'ngram(K,N)', was null");
        }
        String trimmed = text.strip();
        if (trimmed.equalsIgnoreCase("plain")) {
            return PLAIN;
        }
        try {
            Matcher draft = Parsing.DRAFT.matcher(trimmed);
            if (draft.matches()) {
                return new Draft(Integer.parseInt(draft.group(1)));
            }
            Matcher ngram = Parsing.NGRAM.matcher(trimmed);
            if (ngram.matches()) {
                return new Ngram(Integer.parseInt(ngram.group(1)), Integer.parseInt(ngram.group(2)));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("decoding '" + text + "': number out of range", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("decoding '" + text + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("decoding '" + text + "' is not 'plain', 'draft(K)' or 'ngram(K,N)',"
                + " e.g. 'draft(4)' or 'ngram(4,3)'");
    }

    /** Holds the patterns, since interface fields are public. */
    final class Parsing {
        private static final Pattern DRAFT = Pattern.compile("(?i)draft\\s*\\(\\s*(\\d{1,9})\\s*\\)");
        private static final Pattern NGRAM = Pattern.compile("(?i)ngram\\s*\\(\\s*(\\d{1,9})\\s*,\\s*(\\d{1,9})\\s*\\)");

        private Parsing() {}
    }
}
