package dev.metaserve.accelerators;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How requests are grouped before the model runs: {@link None} runs every request alone, {@link Dynamic} gathers
 * requests into batches of up to {@code maxBatchSize} rows, waiting at most {@code maxQueueDelayMicros} for the
 * batch to fill. The text forms are {@code none} and {@code dynamic(MAX_BATCH_SIZE,MAX_QUEUE_DELAY_US)}.
 */
public sealed interface Batching permits Batching.None, Batching.Dynamic {
    /** Largest {@link Dynamic#maxBatchSize()} accepted. */
    int MAX_BATCH_SIZE_LIMIT = 1024;
    /** Largest {@link Dynamic#maxQueueDelayMicros()} accepted: one second. */
    long MAX_QUEUE_DELAY_LIMIT_MICROS = 1_000_000;

    Batching NONE = new None();

    /** Every request runs alone, as soon as a worker is free. */
    record None() implements Batching {
        @Override
        public String toString() {
            return "none";
        }
    }

    /**
     * Requests share a batch: it is sent when it holds {@code maxBatchSize} rows or when its oldest request has waited
     * {@code maxQueueDelayMicros}, whichever comes first.
     *
     * @param maxBatchSize        most rows (texts) in one batch, in [1, {@value #MAX_BATCH_SIZE_LIMIT}]
     * @param maxQueueDelayMicros longest the oldest request of a batch waits for more, in [0, 1 000 000] µs
     */
    record Dynamic(int maxBatchSize, long maxQueueDelayMicros) implements Batching {
        public Dynamic {
            if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE_LIMIT) {
                throw new IllegalArgumentException("dynamic batching: max batch size must be in [1, "
                        + MAX_BATCH_SIZE_LIMIT + "], was " + maxBatchSize);
            }
            if (maxQueueDelayMicros < 0 || maxQueueDelayMicros > MAX_QUEUE_DELAY_LIMIT_MICROS) {
                throw new IllegalArgumentException("dynamic batching: max queue delay must be in [0, "
                        + MAX_QUEUE_DELAY_LIMIT_MICROS + "] µs, was " + maxQueueDelayMicros);
            }
        }

        @Override
        public String toString() {
            return "dynamic(" + maxBatchSize + "," + maxQueueDelayMicros + ")";
        }
    }

    /**
     * Reads {@code none} or {@code dynamic(MAX_BATCH_SIZE,MAX_QUEUE_DELAY_US)} (blanks around the parts allowed,
     * case ignored); the inverse of {@link #toString()}.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    static Batching parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("batching must be 'none' or 'dynamic(MAX_BATCH_SIZE,MAX_QUEUE_DELAY_US)',"
                    + " was null");
        }
        String trimmed = text.strip();
        if (trimmed.equalsIgnoreCase("none")) {
            return NONE;
        }
        Matcher m = Parsing.DYNAMIC.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("batching '" + text + "' is neither 'none' nor"
                    + " 'dynamic(MAX_BATCH_SIZE,MAX_QUEUE_DELAY_US)', e.g. 'dynamic(8,2000)'");
        }
        long size;
        long delay;
        try {
            size = Long.parseLong(m.group(1));
            delay = Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("batching '" + text + "': number out of range", e);
        }
        if (size < 1 || size > MAX_BATCH_SIZE_LIMIT) {
            throw new IllegalArgumentException("batching '" + text + "': max batch size must be in [1, "
                    + MAX_BATCH_SIZE_LIMIT + "], was " + size);
        }
        if (delay > MAX_QUEUE_DELAY_LIMIT_MICROS) {
            throw new IllegalArgumentException("batching '" + text + "': max queue delay must be in [0, "
                    + MAX_QUEUE_DELAY_LIMIT_MICROS + "] µs, was " + delay);
        }
        return new Dynamic((int) size, delay);
    }

    /** Holds the pattern, since interface fields are public. */
    final class Parsing {
        private static final Pattern DYNAMIC = Pattern.compile(
                "(?i)dynamic\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

        private Parsing() {}
    }
}
