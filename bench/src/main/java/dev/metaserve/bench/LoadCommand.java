package dev.metaserve.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code load}: drive one running gateway or node with a fixed number of requests and report latency. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Send closed-loop load to a gateway (REST or gRPC) or to nodes directly, on loopback.")
public final class LoadCommand implements Callable<Integer> {

    @Option(names = "--target", required = true,
            description = "rest=http://127.0.0.1:8080 | grpc=127.0.0.1:8001 | nodes=127.0.0.1:P1,127.0.0.1:P2")
    String target;

    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "Model name (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--api-key", defaultValue = "", description = "Bearer key for the gateway, if it asks for one.")
    String apiKey;

    @Option(names = "--concurrency", defaultValue = "8", description = "Clients sending at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--requests", defaultValue = "1000", description = "Measured requests (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--duration-seconds", description = "Measure for this long instead of a request count.")
    Double durationSeconds;

    @Option(names = "--parameter", description = "Request parameter as NAME=VALUE, repeatable, e.g. --parameter batching=dynamic(8,2000)")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--warmup", defaultValue = "100", description = "Unmeasured requests first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--max-seconds", defaultValue = "120", description = "Time bound of the measurement (default: ${DEFAULT-VALUE}).")
    double maxSeconds;

    @Option(names = "--sentences", description = "File of sentences, one per line (default: 400 bundled Austen sentences).")
    Path sentencesFile;

    @Option(names = "--out", description = "Write the result as JSON here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String[] kindAndAddress = target.split("=", 2);
        if (kindAndAddress.length != 2) {
            throw new IllegalArgumentException("--target must be rest=URL, grpc=HOST:PORT or nodes=HOST:PORT,...");
        }
        String address = kindAndAddress[1];
        for (String hostPort : address.replaceFirst("^https?://", "").split(",")) {
            String host = hostPort.split(":")[0].split("/")[0];
            if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
                throw new IllegalArgumentException("load goes to loopback addresses only, not " + host);
            }
        }
        List<String> sentences = sentencesFile == null ? Sentences.bundled() : Sentences.from(sentencesFile);
        try (Target t = switch (kindAndAddress[0]) {
            case "rest" -> Targets.gatewayRest(model, URI.create(address), apiKey, parameters);
            case "grpc" -> Targets.gatewayGrpc(model, address, apiKey, parameters);
            case "nodes" -> Targets.nodesDirect(model, List.of(address.split(",")), parameters);
            default -> throw new IllegalArgumentException("unknown target kind '" + kindAndAddress[0] + "'");
        }) {
            LoadGenerator.Settings settings = durationSeconds == null
                    ? LoadGenerator.Settings.count(concurrency, requests, warmup, maxSeconds)
                    : LoadGenerator.Settings.duration(concurrency, Math.min(durationSeconds, maxSeconds), warmup);
            LatencyStats stats = LoadGenerator.run(t, sentences, settings);
            System.out.print(ResultsTable.format(List.of(new ResultsTable.Row(t.name(), concurrency, stats))));
            if (out != null) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("benchmark", "load");
                document.put("time", Instant.now().toString());
                document.put("target", target);
                document.put("model", model);
                document.put("concurrency", concurrency);
                document.put("parameters", parameters);
                document.put("stats", stats);
                ResultsTable.writeJson(out, document);
            }
            return stats.errors() == 0 ? 0 : 1;
        }
    }
}
