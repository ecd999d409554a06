package dev.metaserve.nodes.generation;

import dev.metaserve.accelerators.Decoding;

/** The kinds of {@link Decoding} a model may be able to run, as a node advertises them. */
public enum DecodingKind {
    PLAIN("plain"),
    DRAFT("draft(K)"),
    NGRAM("ngram(K,N)");

    private final String advertised;

    DecodingKind(String advertised) {
        this.advertised = advertised;
    }

    /** How the node names the kind in its registration, e.g. {@code draft(K)}. */
    public String advertised() {
        return advertised;
    }

    /** Lower-case name, a low-cardinality metric tag. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DecodingKind of(Decoding decoding) {
        if (decoding instanceof Decoding.Draft) {
            return DRAFT;
        }
        if (decoding instanceof Decoding.Ngram) {
            return NGRAM;
        }
        return PLAIN;
    }
}
