package dev.metaserve.selector.store;

/** Argument checks shared by the value records; each message names the owner, the field and the bad value. */
final class Checks {
    private Checks() {}

    static String text(String value, String owner, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(owner + ": " + field + " must not be blank");
        }
        return length(value, owner, field, maxLength);
    }

    static String length(String value, String owner, String field, int maxLength) {
        if (value == null) {
            throw new IllegalArgumentException(owner + ": " + field + " must not be null");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(owner + ": " + field + " must be at most " + maxLength
                    + " characters, was " + value.length());
        }
        return value;
    }

    static void atLeast(long value, long min, String owner, String field) {
        if (value < min) {
            throw new IllegalArgumentException(owner + ": " + field + " must be >= " + min + ", was " + value);
        }
    }

    static void finite(double value, String owner, String field) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(owner + ": " + field + " must be a finite number, was " + value);
        }
    }

    static void finiteNonNegative(double value, String owner, String field) {
        finite(value, owner, field);
        if (value < 0) {
            throw new IllegalArgumentException(owner + ": " + field + " must be >= 0, was " + value);
        }
    }

    static <T> T present(T value, String owner, String field) {
        if (value == null) {
            throw new IllegalArgumentException(owner + ": " + field + " must not be null");
        }
        return value;
    }
}
