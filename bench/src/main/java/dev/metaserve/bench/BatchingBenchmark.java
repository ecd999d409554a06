package dev.metaserve.bench;

import dev.metaserve.launcher.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Dynamic batching against none, through the gateway (REST, one sentence per request), at several
 * client concurrencies, in one run: the batching setting is switched per request with the
 * {@code batching} parameter, so the same gateway and nodes serve every row. Rounds alternate the
 * order of the settings and are averaged.
 */
@Command(name = "batching", mixinStandardHelpOptions = true,
        description = "Compare batching=none with dynamic batching settings through the gateway.")
public final class BatchingBenchmark implements Callable<Integer> {
    static final String MODEL = "all-minilm-l6-v2";

    @Option(names = "--root", defaultValue = ".", description = "Project checkout with the built programs (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--settings", split = ";", defaultValue = "none;dynamic(8,1000);dynamic(16,2000);dynamic(32,5000)",
            description = "Batching settings, ';'-separated (default: ${DEFAULT-VALUE}).")
    List<String> settings;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,8,32,64", description = "Client concurrencies (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrencies;

    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds per setting, concurrency and round (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds, in alternating order (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--nodes", defaultValue = "2", description = "Local nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--out", defaultValue = "bench/results/batching.json", description = "JSON result file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> sentences = Sentences.bundled();
        Path absoluteRoot = root.toAbsolutePath().normalize();
        List<ResultsTable.Row> rows = new ArrayList<>();
        Map<String, Object> comparisons = new LinkedHashMap<>();
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.defaults(absoluteRoot)
                .withNodes(nodes)
                .withLogDir(absoluteRoot.resolve("target/bench-logs")))) {
            for (int concurrency : concurrencies) {
                int c = concurrency;
                Map<String, LatencyStats> bySetting = AlternatingRounds.measure(settings, setting -> setting, rounds, concurrency, setting -> {
                    try (Target target = Targets.gatewayRest(MODEL, cluster.httpUri(), null, Map.of("batching", setting))) {
                        return LoadGenerator.run(target, sentences,
                                LoadGenerator.Settings.duration(c, seconds, 4 * c + 20));
                    }
                });
                LatencyStats none = bySetting.get(settings.get(0));
                for (String setting : settings) {
                    LatencyStats s = bySetting.get(setting);
                    rows.add(new ResultsTable.Row(setting, concurrency, s));
                    if (!setting.equals(settings.get(0))) {
                        comparisons.put(setting + "@c" + concurrency, Map.of(
                                "throughputRatio", s.throughputPerSecond() / none.throughputPerSecond(),
                                "p99Ratio", s.p99Ms() / none.p99Ms(),
                                "addedP50Ms", s.p50Ms() - none.p50Ms()));
                    }
                }
            }
        }
        System.out.println();
        System.out.print(ResultsTable.format(rows));
        System.out.println();
        System.out.println("against " + settings.get(0) + " at the same concurrency:");
        comparisons.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-26s throughput x%.2f, p99 x%.2f, p50 %+.2f ms%n", k,
                ((Map<?, ?>) v).get("throughputRatio"), ((Map<?, ?>) v).get("p99Ratio"), ((Map<?, ?>) v).get("addedP50Ms")));
        Map<String, Object> document = ResultsTable.document("batching", Map.of("model", MODEL, "nodes", nodes,
                "nodeIntraOpThreads", 1, "via", "gateway REST v2", "textsPerRequest", 1,
                "secondsPerMeasurement", seconds, "rounds", rounds,
                "note", "load generator, gateway and nodes share this machine's cores"));
        document.put("rows", rows);
        document.put("comparisons", comparisons);
        ResultsTable.writeJson(out, document);
        System.out.println("wrote " + out);
        return 0;
    }
}
