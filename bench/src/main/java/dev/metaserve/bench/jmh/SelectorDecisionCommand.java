package dev.metaserve.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.metaserve.bench.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench selector-decision}: runs {@link SelectorDecisionBenchmark} under JMH (sample-time mode), prints the
 * percentiles of one decision and writes them, with JMH's own result, as JSON.
 */
@Command(name = "selector-decision", mixinStandardHelpOptions = true,
        description = "Decision time of the selector's online policy (JMH): Thompson sampling against greedy.")
public final class SelectorDecisionCommand implements Callable<Integer> {
    /** The budget of one decision at p99, from issue 6. */
    static final double BUDGET_P99_US = 50;

    @Option(names = "--candidates", split = ",", defaultValue = "12,24",
            description = "Candidates per decision: nodes x 6 plans (default: ${DEFAULT-VALUE}).")
    List<String> candidates;

    @Option(names = "--candidate-objects", split = ",", defaultValue = "reused,fresh",
            description = "Same Candidate objects on every call, or equal new ones (default: ${DEFAULT-VALUE}).")
    List<String> candidateObjects;

    @Option(names = "--shapes", split = ",", defaultValue = "plain,gateway",
            description = "plain choose(), or as the gateway decides (2 plans per node, load offsets) (default: ${DEFAULT-VALUE}).")
    List<String> shapes;

    @Option(names = "--task-classes", defaultValue = "300",
            description = "Task classes warmed up (default: ${DEFAULT-VALUE}).")
    int taskClasses;

    @Option(names = "--forks", defaultValue = "1", description = "JVM forks (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--warmup-iterations", defaultValue = "2",
            description = "Warm-up iterations (default: ${DEFAULT-VALUE}).")
    int warmupIterations;

    @Option(names = "--iterations", defaultValue = "3",
            description = "Measured iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--iteration-seconds", defaultValue = "3",
            description = "Seconds per iteration (default: ${DEFAULT-VALUE}).")
    int iterationSeconds;

    @Option(names = "--threads", defaultValue = "1",
            description = "Threads deciding at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", defaultValue = "bench/results/selector-decision.json",
            description = "JSON result file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path raw = Files.createTempFile("selector-decision-jmh", ".json");
        try {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(Pattern.quote(SelectorDecisionBenchmark.class.getName()) + "\\.")
                    .mode(Mode.SampleTime)
                    .timeUnit(TimeUnit.MICROSECONDS)
                    .forks(forks)
                    .warmupIterations(warmupIterations)
                    .warmupTime(TimeValue.seconds(iterationSeconds))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.seconds(iterationSeconds))
                    .threads(threads)
                    .param("candidates", candidates.toArray(String[]::new))
                    .param("candidateObjects", candidateObjects.toArray(String[]::new))
                    .param("taskClasses", String.valueOf(taskClasses))
                    .param("shape", shapes.toArray(String[]::new))
                    .result(raw.toString())
                    .resultFormat(ResultFormatType.JSON);
            Collection<RunResult> results = new Runner(options.build()).run();
            List<Map<String, Object>> rows = rows(results);
            System.out.print(table(rows));
            Map<String, Object> document = ResultsTable.document("selector-decision", Map.of(
                    "forks", forks, "warmupIterations", warmupIterations, "iterations", iterations,
                    "iterationSeconds", iterationSeconds, "threads", threads, "taskClasses", taskClasses,
                    "mode", "JMH SampleTime, microseconds per choose()", "budgetP99Us", BUDGET_P99_US));
            document.put("rows", rows);
            document.put("jmh", withoutHistograms(new ObjectMapper().readTree(raw.toFile())));
            ResultsTable.writeJson(out, document);
            System.out.println("wrote " + out);
            return 0;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** JMH's result without the per-sample histograms (half a megabyte); percentiles stay. */
    private static JsonNode withoutHistograms(JsonNode jmh) {
        for (JsonNode benchmark : jmh) {
            JsonNode primary = benchmark.get("primaryMetric");
            if (primary instanceof ObjectNode metric) {
                metric.remove(List.of("rawData", "rawDataHistogram"));
            }
        }
        return jmh;
    }

    private static List<Map<String, Object>> rows(Collection<RunResult> results) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunResult result : results) {
            Statistics stats = result.getPrimaryResult().getStatistics();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("exploration", result.getParams().getParam("exploration"));
            row.put("candidates", Integer.parseInt(result.getParams().getParam("candidates")));
            row.put("candidateObjects", result.getParams().getParam("candidateObjects"));
            row.put("shape", result.getParams().getParam("shape"));
            row.put("samples", stats.getN());
            row.put("meanUs", stats.getMean());
            row.put("p50Us", stats.getPercentile(50));
            row.put("p99Us", stats.getPercentile(99));
            row.put("p999Us", stats.getPercentile(99.9));
            row.put("maxUs", stats.getMax());
            rows.add(row);
        }
        return rows;
    }

    private static String table(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%-9s %5s %-7s %-7s %9s %8s %8s %9s %10s %14s%n", "explore", "cands", "objects", "shape", "samples",
                "p50 us",
                "p99 us", "p99.9 us", "max us", "vs greedy p50"));
        for (Map<String, Object> row : rows) {
            double greedyP50 = rows.stream()
                    .filter(r -> r.get("exploration").equals("GREEDY")
                            && r.get("candidates").equals(row.get("candidates"))
                            && r.get("candidateObjects").equals(row.get("candidateObjects"))
                            && r.get("shape").equals(row.get("shape")))
                    .mapToDouble(r -> (double) r.get("p50Us")).findFirst().orElse(Double.NaN);
            out.append(String.format(Locale.ROOT, "%-9s %5d %-7s %-7s %9d %8.2f %8.2f %9.2f %10.1f %14.2f%n",
                    row.get("exploration"), (int) row.get("candidates"), row.get("candidateObjects"), row.get("shape"),
                    (long) row.get("samples"), (double) row.get("p50Us"), (double) row.get("p99Us"),
                    (double) row.get("p999Us"), (double) row.get("maxUs"), (double) row.get("p50Us") / greedyP50));
        }
        out.append(String.format(Locale.ROOT, "budget: p99 <= %.0f us per decision. Tail percentiles include the "
                + "time the benchmark thread was not running: on a busy machine they measure the machine.%n",
                BUDGET_P99_US));
        return out.toString();
    }
}
