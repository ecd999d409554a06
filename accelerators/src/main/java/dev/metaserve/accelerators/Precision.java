package dev.metaserve.accelerators;

import java.util.Locale;

/** The numeric precision a model runs at: its fp32 original, or an INT8 quantized twin. */
public enum Precision {
    FP32,
    INT8;

    /**
     * Reads {@code fp32} or {@code int8}, in any case.
     *
     * @throws IllegalArgumentException naming the text and the values allowed
     */
    public static Precision parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "fp32" -> FP32;
            case "int8" -> INT8;
            default -> throw new IllegalArgumentException("precision '" + text + "' is not fp32 or int8");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
