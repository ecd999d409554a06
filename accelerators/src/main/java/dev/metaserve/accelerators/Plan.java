package dev.metaserve.accelerators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which acceleration techniques a request runs under, with their settings. Text form: {@code key=value} pairs joined
 * by commas, e.g. {@code batching=dynamic(8,2000),precision=int8} or {@code decoding=draft(4)}; a key left out takes
 * its default ({@code batching=none}, {@code precision=fp32}, {@code decoding=plain}). {@code toString()} leaves out
 * {@code decoding} while it is plain, so embedding plans read as before.
 *
 * @param batching  how requests are grouped before the model runs
 * @param precision which twin of the model runs: the fp32 original or its INT8 quantization
 * @param decoding  for text generation: plain or speculative decoding
 */
public record Plan(Batching batching, Precision precision, Decoding decoding) {
    /** Everything off: each request runs alone at full precision, one target pass per token. */
    public static final Plan DEFAULT = new Plan(Batching.NONE, Precision.FP32, Decoding.PLAIN);

    private static final String BATCHING = "batching";
    private static final String PRECISION = "precision";
    private static final String DECODING = "decoding";
    private static final String KNOWN_KEYS = BATCHING + ", " + PRECISION + ", " + DECODING;

    public Plan {
        if (batching == null || precision == null || decoding == null) {
            throw new IllegalArgumentException("plan: batching, precision and decoding must not be null");
        }
    }

    /** A plan with plain decoding. */
    public Plan(Batching batching, Precision precision) {
        this(batching, precision, Decoding.PLAIN);
    }

    /** This plan with another batching. */
    public Plan withBatching(Batching other) {
        return new Plan(other, precision, decoding);
    }

    /** This plan with another precision. */
    public Plan withPrecision(Precision other) {
        return new Plan(batching, other, decoding);
    }

    /** This plan with another decoding. */
    public Plan withDecoding(Decoding other) {
        return new Plan(batching, precision, other);
    }

    /**
     * Reads the text form {@link #toString()} writes, e.g. {@code batching=none} or {@code batching=dynamic(8,2000)}.
     *
     * @throws IllegalArgumentException naming the bad part: unknown key, repeated key, missing '=', bad value
     */
    public static Plan parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("plan must not be null");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : splitTopLevel(text)) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("plan '" + text + "': '" + part.strip()
                        + "' is not KEY=VALUE (known keys: " + KNOWN_KEYS + ")");
            }
            String key = part.substring(0, eq).strip();
            if (!key.equals(BATCHING) && !key.equals(PRECISION) && !key.equals(DECODING)) {
                throw new IllegalArgumentException("plan '" + text + "': unknown key '" + key + "' (known keys: "
                        + KNOWN_KEYS + ")");
            }
            if (values.put(key, part.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("plan '" + text + "': key '" + key + "' given twice");
            }
        }
        String batching = values.get(BATCHING);
        String precision = values.get(PRECISION);
        String decoding = values.get(DECODING);
        return new Plan(batching == null ? Batching.NONE : Batching.parse(batching),
                precision == null ? Precision.FP32 : Precision.parse(precision),
                decoding == null ? Decoding.PLAIN : Decoding.parse(decoding));
    }

    /** Splits on commas outside parentheses, so {@code dynamic(8,2000)} stays whole. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    @Override
    public String toString() {
        String text = BATCHING + "=" + batching + "," + PRECISION + "=" + precision;
        return decoding instanceof Decoding.Plain ? text : text + "," + DECODING + "=" + decoding;
    }
}
