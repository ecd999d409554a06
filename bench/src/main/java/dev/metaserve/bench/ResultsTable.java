package dev.metaserve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints benchmark rows as a table and writes them, with the run's context, as JSON. */
public final class ResultsTable {
    private ResultsTable() {}

    /** One measured configuration. */
    public record Row(String target, int concurrency, LatencyStats stats) {}

    public static String format(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-20s %5s %9s %9s %9s %10s %7s%n",
                "target", "conc", "p50 ms", "p90 ms", "p99 ms", "req/s", "errors"));
        for (Row r : rows) {
            LatencyStats s = r.stats();
            out.append(String.format(Locale.ROOT, "%-20s %5d %9.2f %9.2f %9.2f %10.1f %7d%n", r.target(), r.concurrency(),
                    s.p50Ms(), s.p90Ms(), s.p99Ms(), s.throughputPerSecond(), s.errors()));
        }
        return out.toString();
    }

    /** The start of every result file: which benchmark, when, on what, set up how. */
    public static Map<String, Object> document(String benchmark, Map<String, Object> setup) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("benchmark", benchmark);
        document.put("time", java.time.Instant.now().toString());
        Map<String, Object> machine = new LinkedHashMap<>(); // in this order in every result, so diffs stay small
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name"));
        document.put("machine", machine);
        document.put("setup", setup);
        return document;
    }

    public static void writeJson(Path file, Object document) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document);
    }
}
