package dev.metaserve.selector.store;

import dev.metaserve.accelerators.Plan;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Observations as CSV, for snapshots of the history that travel with the code (a sweep's, read by tests and
 * evaluations from the classpath) and for people's spreadsheets. One header line with the store's column names
 * ({@link #COLUMNS}, the table's, {@code id} first), then one line per observation; fields are quoted as RFC 4180 says
 * when they hold a comma, a quote or a line break (plans such as {@code batching=dynamic(8,2000),precision=int8} do);
 * numbers are written so that they read back to the same {@code double}; times are ISO-8601 instants in UTC.
 *
 * <p>Reading checks every row with the records' own rules and refuses a bad one, naming its line, as the store refuses a
 * corrupt row: a snapshot with a silently dropped row would be a different data set. Observations read keep the id in
 * the file; give them id 0 ({@link Observation#withId}) to append them to a store.
 */
public final class ObservationCsv {
    /** The header: the columns of table {@code observation}, in its order. */
    public static final List<String> COLUMNS = List.of(
            "id", "model", "task_kind", "input_kind", "input_tokens", "output_tokens", "texts_per_request",
            "concurrency", "objective", "quality_tolerance", "plan",
            "node_id", "intra_op_threads", "cpu_cores", "memory_limit_mb", "network_delay_ms", "hardware_description",
            "latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "throughput_rps", "tokens_per_second",
            "quality_delta", "sample_count", "observed_at", "source");

    /** A CSV text that is not a list of valid observations; {@link #line()} is where the bad record starts. */
    public static final class InvalidCsvException extends IllegalArgumentException {
        private final int line;

        InvalidCsvException(int line, String problem, Throwable cause) {
            super("observation CSV line " + line + ": " + problem, cause);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private ObservationCsv() {}

    /** Writes the header and one line per observation, in list order. */
    public static void write(List<Observation> observations, Writer out) throws IOException {
        out.write(String.join(",", COLUMNS));
        out.write('\n');
        for (Observation o : observations) {
            TaskProfile t = o.task();
            HardwareProfile h = o.hardware();
            Measurement m = o.measurement();
            List<String> fields = List.of(
                    Long.toString(o.id()), t.model(), t.taskKind(), t.inputKind(), Integer.toString(t.inputTokens()),
                    Integer.toString(t.outputTokens()), Integer.toString(t.textsPerRequest()),
                    Integer.toString(t.concurrency()), t.objective().name(), Double.toString(t.qualityTolerance()),
                    o.plan().toString(),
                    h.nodeId(), Integer.toString(h.intraOpThreads()), Integer.toString(h.cpuCores()),
                    Long.toString(h.memoryLimitMb()), Integer.toString(h.networkDelayMs()), h.description(),
                    Double.toString(m.latencyP50Ms()), Double.toString(m.latencyP90Ms()),
                    Double.toString(m.latencyP99Ms()), Double.toString(m.throughputPerSecond()),
                    Double.toString(m.tokensPerSecond()), Double.toString(m.qualityDelta()),
                    Integer.toString(m.sampleCount()), o.observedAt().toString(), o.source().name());
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(quoted(fields.get(i)));
            }
            out.write('\n');
        }
    }

    /**
     * Reads what {@link #write} wrote (line ends {@code \n} or {@code \r\n}).
     *
     * @throws InvalidCsvException naming the line of the first record that is not a valid observation, or the header
     *                             when it is not {@link #COLUMNS}
     */
    public static List<Observation> read(Reader in) throws IOException {
        Records records = new Records(in);
        List<String> header = records.next();
        if (header == null || !header.equals(COLUMNS)) {
            throw new InvalidCsvException(1, "the header is " + (header == null ? "missing" : header)
                    + ", expected " + String.join(",", COLUMNS), null);
        }
        List<Observation> observations = new ArrayList<>();
        for (List<String> record = records.next(); record != null; record = records.next()) {
            observations.add(observation(record, records.recordLine()));
        }
        return observations;
    }

    private static Observation observation(List<String> f, int line) {
        if (f.size() != COLUMNS.size()) {
            throw new InvalidCsvException(line, f.size() + " fields, expected " + COLUMNS.size(), null);
        }
        Fields fields = new Fields(f, line);
        try {
            TaskProfile task = new TaskProfile(fields.text(1), fields.text(2), fields.text(3), fields.integer(4),
                    fields.integer(5), fields.integer(6), fields.integer(7), fields.constant(8, Objective.class),
                    fields.real(9));
            Plan plan = fields.plan(10);
            HardwareProfile hardware = new HardwareProfile(fields.text(11), fields.integer(12), fields.integer(13),
                    fields.bigInteger(14), fields.integer(15), fields.text(16));
            Measurement measurement = new Measurement(fields.real(17), fields.real(18), fields.real(19),
                    fields.real(20), fields.real(21), fields.real(22), fields.integer(23));
            return new Observation(fields.bigInteger(0), task, plan, hardware, measurement, fields.instant(24),
                    fields.constant(25, Source.class));
        } catch (InvalidCsvException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidCsvException(line, e.getMessage(), e);
        }
    }

    private static String quoted(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** Typed reads of one record's fields, refusing a bad one by column name. */
    private record Fields(List<String> values, int line) {
        String text(int column) {
            return values.get(column);
        }

        int integer(int column) {
            try {
                return Integer.parseInt(values.get(column));
            } catch (NumberFormatException e) {
                throw bad(column, "an integer");
            }
        }

        long bigInteger(int column) {
            try {
                return Long.parseLong(values.get(column));
            } catch (NumberFormatException e) {
                throw bad(column, "an integer");
            }
        }

        double real(int column) {
            try {
                return Double.parseDouble(values.get(column));
            } catch (NumberFormatException e) {
                throw bad(column, "a number");
            }
        }

        Instant instant(int column) {
            try {
                return Instant.parse(values.get(column));
            } catch (DateTimeParseException e) {
                throw bad(column, "an ISO-8601 instant such as 2026-03-01T12:00:00.123456Z");
            }
        }

        Plan plan(int column) {
            try {
                return Plan.parse(values.get(column));
            } catch (IllegalArgumentException e) {
                throw new InvalidCsvException(line, "column " + COLUMNS.get(column) + ": " + e.getMessage(), e);
            }
        }

        <E extends Enum<E>> E constant(int column, Class<E> type) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(values.get(column))) {
                    return constant;
                }
            }
            throw bad(column, "one of " + Arrays.toString(type.getEnumConstants()));
        }

        private InvalidCsvException bad(int column, String expected) {
            return new InvalidCsvException(line, "column " + COLUMNS.get(column) + ": '" + values.get(column)
                    + "' is not " + expected, null);
        }
    }

    /** RFC 4180 records: fields split at commas, quoted fields may hold commas, doubled quotes and line breaks. */
    private static final class Records {
        private final Reader in;
        private int line = 1;
        private int recordLine;
        private int pushedBack = -2;

        Records(Reader in) {
            this.in = in;
        }

        /** The line the record last returned by {@link #next} starts on. */
        int recordLine() {
            return recordLine;
        }

        /** The next record, or null at the end; blank lines are skipped. */
        List<String> next() throws IOException {
            int c = read();
            while (c == '\n' || c == '\r') {
                c = read();
            }
            if (c == -1) {
                return null;
            }
            recordLine = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (quoted) {
                    if (c == -1) {
                        throw new InvalidCsvException(recordLine, "a quoted field is not closed", null);
                    }
                    if (c == '"') {
                        int after = read();
                        if (after == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            c = after;
                            continue;
                        }
                    } else {
                        field.append((char) c);
                    }
                } else if (c == ',' || c == '\n' || c == '\r' || c == -1) {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                    if (c != ',') {
                        if (c == '\r') {
                            int after = read();
                            if (after != '\n') {
                                unread(after);
                            }
                        }
                        return fields;
                    }
                } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == '"' || wasQuoted) {
                    throw new InvalidCsvException(recordLine, "field " + (fields.size() + 1)
                            + " has a quote inside an unquoted field or text after its closing quote", null);
                } else {
                    field.append((char) c);
                }
                c = read();
            }
        }

        private int read() throws IOException {
            int c;
            if (pushedBack != -2) {
                c = pushedBack;
                pushedBack = -2;
            } else {
                c = in.read();
            }
            if (c == '\n') {
                line++;
            }
            return c;
        }

        private void unread(int c) {
            if (c == '\n') {
                line--;
            }
            pushedBack = c;
        }
    }
}
