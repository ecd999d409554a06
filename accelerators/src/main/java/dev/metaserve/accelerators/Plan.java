package dev.metaserve.accelerators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which acceleration techniques a request runs under, with their settings. Text form: {@code key=value} pairs joined
 * by commas, e.g. {@code batching=dynamic(8,2000)}; a key left out takes its default ({@code batching=none}).
 *
 * @param batching how requests are grouped before the model runs
 */
// Precision (e.g. fp32/int8) and decoding (e.g. speculative) come with later issues, as further components.
public record Plan(Batching batching) {
    /** Everything off: each request runs alone at full precision. */
    public static final Plan DEFAULT = new Plan(Batching.NONE);

    private static final String BATCHING = "batching";

    public Plan {
        if (batching == null) {
            throw new IllegalArgumentException("plan: batching must not be null");
        }
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
                        + "' is not KEY=VALUE (known keys: " + BATCHING + ")");
            }
            String key = part.substring(0, eq).strip();
            if (!key.equals(BATCHING)) {
                throw new IllegalArgumentException("plan '" + text + "': unknown key '" + key + "' (known keys: "
                        + BATCHING + ")");
            }
            if (values.put(key, part.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("plan '" + text + "': key '" + key + "' given twice");
            }
        }
        String batching = values.get(BATCHING);
        return new Plan(batching == null ? Batching.NONE : Batching.parse(batching));
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
        return BATCHING + "=" + batching;
    }
}
