package dev.metaserve.accelerators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which acceleration techniques a request runs under, with their settings. Text form: {@code key=value} pairs joined
 * by commas, e.g. {@code batching=dynamic(8,2000),precision=int8}; a key left out takes its default
 * ({@code batching=none}, {@code precision=fp32}).
 *
 * @param batching  how requests are grouped before the model runs
 * @param precision which twin of the model runs: the fp32 original or its INT8 quantization
 */
// Decoding (plain, speculative) comes with the text-generation issue, as a further component.
public record Plan(Batching batching, Precision precision) {
    /** Everything off: each request runs alone at full precision. */
    public static final Plan DEFAULT = new Plan(Batching.NONE, Precision.FP32);

    private static final String BATCHING = "batching";
    private static final String PRECISION = "precision";
    private static final String KNOWN_KEYS = BATCHING + ", " + PRECISION;

    public Plan {
        if (batching == null || precision == null) {
            throw new IllegalArgumentException("plan: batching and precision must not be null");
        }
    }

    /** This plan with another batching. */
    public Plan withBatching(Batching other) {
        return new Plan(other, precision);
    }

    /** This plan with another precision. */
    public Plan withPrecision(Precision other) {
        return new Plan(batching, other);
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
            if (!key.equals(BATCHING) && !key.equals(PRECISION)) {
                throw new IllegalArgumentException("plan '" + text + "': unknown key '" + key + "' (known keys: "
                        + KNOWN_KEYS + ")");
            }
            if (values.put(key, part.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("plan '" + text + "': key '" + key + "' given twice");
            }
        }
        String batching = values.get(BATCHING);
        String precision = values.get(PRECISION);
        return new Plan(batching == null ? Batching.NONE : Batching.parse(batching),
                precision == null ? Precision.FP32 : Precision.parse(precision));
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
        return BATCHING + "=" + batching + "," + PRECISION + "=" + precision;
    }
}
