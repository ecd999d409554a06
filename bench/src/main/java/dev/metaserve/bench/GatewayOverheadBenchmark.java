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
 * What the gateway costs: the same requests sent straight to the two nodes (taking turns) and through
 * the gateway (gRPC and REST), at each concurrency, in one run. Rounds alternate the order of the
 * targets and are averaged, so drift of a noisy machine falls on all of them alike.
 */
@Command(name = "gateway-overhead", mixinStandardHelpOptions = true,
        description = "Compare calling nodes directly with calling through the gateway.")
public final class GatewayOverheadBenchmark implements Callable<Integer> {
    static final String MODEL = "all-minilm-l6-v2";

    @Option(names = "--root", defaultValue = ".", description = "Project checkout with the built programs (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,32", description = "Client concurrencies (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrencies;

    @Option(names = "--requests", defaultValue = "400", description = "Measured requests per target, concurrency and round (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "100", description = "Unmeasured requests before each measurement (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "4", description = "Rounds per setting, in alternating order (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--max-seconds", defaultValue = "60", description = "Time bound of one measurement (default: ${DEFAULT-VALUE}).")
    double maxSeconds;

    @Option(names = "--out", defaultValue = "bench/results/gateway-overhead.json", description = "JSON result file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> sentences = Sentences.bundled();
        Path absoluteRoot = root.toAbsolutePath().normalize();
        List<ResultsTable.Row> rows = new ArrayList<>();
        Map<String, Object> comparisons = new LinkedHashMap<>();
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.defaults(absoluteRoot)
                .withLogDir(absoluteRoot.resolve("target/bench-logs")))) {
            List<String> nodeTargets = cluster.nodes().stream().map(LocalCluster.Node::target).toList();
            try (Target direct = Targets.nodesDirect(MODEL, nodeTargets, Map.of());
                 Target grpc = Targets.gatewayGrpc(MODEL, cluster.grpcTarget(), null, Map.of());
                 Target rest = Targets.gatewayRest(MODEL, cluster.httpUri(), null, Map.of())) {
                List<Target> targets = List.of(direct, grpc, rest);
                for (int concurrency : concurrencies) {
                    Map<String, LatencyStats> averaged = new LinkedHashMap<>();
                    int c = concurrency;
                    AlternatingRounds.measure(targets, Target::name, rounds, concurrency, target -> LoadGenerator.run(target, sentences,
                                    LoadGenerator.Settings.count(c, requests, warmup, maxSeconds)))
                            .forEach((target, stats) -> {
                                averaged.put(target.name(), stats);
                                rows.add(new ResultsTable.Row(target.name(), c, stats));
                            });
                    LatencyStats base = averaged.get(direct.name());
                    for (Target via : List.of(grpc, rest)) {
                        LatencyStats s = averaged.get(via.name());
                        comparisons.put(via.name() + "@c" + concurrency, Map.of(
                                "addedP50Ms", s.p50Ms() - base.p50Ms(),
                                "addedP99Ms", s.p99Ms() - base.p99Ms(),
                                "throughputRatio", s.throughputPerSecond() / base.throughputPerSecond()));
                    }
                }
            }
        }
        System.out.println();
        System.out.print(ResultsTable.format(rows));
        System.out.println();
        comparisons.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-22s %s%n", k, v));
        Map<String, Object> document = ResultsTable.document("gateway-overhead", Map.of("model", MODEL, "nodes", 2,
                "nodeIntraOpThreads", 1, "requests", requests, "warmup", warmup, "rounds", rounds,
                "note", "load generator, gateway and both nodes share this machine's cores"));
        document.put("rows", rows);
        document.put("comparisons", comparisons);
        ResultsTable.writeJson(out, document);
        System.out.println("wrote " + out);
        return 0;
    }
}
