package dev.metaserve.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: the gateway plus local nodes on this machine, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the metaserve gateway with local nodes and print where to call it.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--root", defaultValue = ".", description = "Project checkout holding the built programs (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--grpc-port", defaultValue = "8001", description = "Gateway gRPC port, KServe v2 and node protocol (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--nodes", defaultValue = "2", description = "Local node processes to start (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--api-keys", defaultValue = "", description = "Comma-separated API keys clients must send; empty: open (default).")
    String apiKeys;

    @Option(names = "--intra-op-threads", defaultValue = "1", description = "ONNX Runtime threads per node (default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--batching", defaultValue = "none",
            description = "Nodes' default batching plan: none or dynamic(MAX_ROWS,MAX_DELAY_US); requests may override it (default: ${DEFAULT-VALUE}).")
    String batching;

    @Option(names = "--int8-model", defaultValue = "ours",
            description = "INT8 twin the nodes serve as precision=int8: 'ours' (made once by the quant command into "
                    + OwnInt8Model.FILE + "), 'anchor' (ONNX Runtime's dynamic quantization, bundled), 'none', or a file"
                    + " (default: ${DEFAULT-VALUE}).")
    String int8Model;

    @Option(names = "--lm", defaultValue = "bundled",
            description = "Language model the nodes serve for text generation: 'bundled' (austen-kjv, target and draft"
                    + " shipped in the models jar) or 'none' (default: ${DEFAULT-VALUE}).")
    String languageModel;

    @Option(names = "--decoding", defaultValue = "plain",
            description = "Nodes' default decoding for generation: plain, draft(K) or ngram(K,N); requests may override"
                    + " it (default: ${DEFAULT-VALUE}).")
    String decoding;

    @Override
    public Integer call() throws Exception {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        Path logDir = absoluteRoot.resolve("target/cluster-logs");
        String int8 = int8Model.equals("ours") ? OwnInt8Model.ensure(absoluteRoot, logDir).toString() : int8Model;
        LocalCluster.Options options = LocalCluster.Options.defaults(absoluteRoot)
                .withPorts(httpPort, grpcPort)
                .withNodes(nodes)
                .withApiKeys(apiKeys)
                .withGatewayProps(List.of("gateway.selector.store=" + absoluteRoot.resolve("data")))
                .withNodeArgs(List.of("--intra-op-threads", Integer.toString(intraOpThreads), "--batching", batching,
                        "--int8-model", int8, "--lm", languageModel, "--decoding", decoding));
        System.out.println("starting the gateway and " + nodes + " nodes (logs in " + options.logDir() + ") ...");
        LocalCluster cluster = LocalCluster.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }));
        printWelcome(cluster);
        stopped.await();
        return 0;
    }

    private void printWelcome(LocalCluster cluster) {
        String auth = apiKeys.isBlank() ? "" : " -H 'Authorization: Bearer " + apiKeys.split(",")[0].trim() + "'";
        String url = cluster.httpUri().toString();
        System.out.println();
        System.out.println("metaserve is up: gateway with " + cluster.nodes().size() + " nodes");
        System.out.println("  REST (KServe v2, OpenAI): " + url);
        System.out.println("  gRPC (KServe v2):         " + cluster.grpcTarget());
        System.out.println("  metrics:                  " + url + "/q/metrics");
        System.out.println("  nodes:                    " + url + "/admin/nodes");
        System.out.println("  selector:                 " + url + "/admin/selector (history in "
                + root.toAbsolutePath().normalize().resolve("data") + ")");
        for (LocalCluster.Node node : cluster.nodes()) {
            if (!node.metricsUrl().isEmpty()) {
                System.out.printf("  %-26s%s%n", node.id() + " metrics:", node.metricsUrl());
            }
        }
        System.out.println();
        System.out.println("try:");
        System.out.println("  curl -s " + url + "/v1/embeddings" + auth + " -H 'Content-Type: application/json' \\");
        System.out.println("    -d '{\"model\": \"all-minilm-l6-v2\", \"input\": [\"The cat sat on the mat.\", \"A dog slept.\"]}'");
        System.out.println("  curl -s " + url + "/v2/models/all-minilm-l6-v2/infer" + auth + " -H 'Content-Type: application/json' \\");
        System.out.println("    -d '{\"inputs\": [{\"name\": \"text\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"hello world\"]}]}'");
        System.out.println("  (without a plan the selector chooses node and batching, and INT8 too if the request allows");
        System.out.println("   \"parameters\": {\"quality_tolerance\": 0.02}; {\"batching\": \"dynamic(16,2000)\"} or");
        System.out.println("   {\"precision\": \"int8\"} choose yourself)");
        if (!languageModel.equals("none")) {
            System.out.println("  curl -sN " + url + "/v1/completions" + auth + " -H 'Content-Type: application/json' \\");
            System.out.println("    -d '{\"model\": \"austen-kjv\", \"prompt\": \"It is a truth universally acknowledged\","
                    + " \"max_tokens\": 40, \"stream\": true}'");
            System.out.println("  (the selector chooses the decoding; add \"plan\": \"decoding=draft(4)\" or"
                    + " \"decoding=ngram(4,2)\" to choose yourself)");
        }
        System.out.println();
        System.out.println("Ctrl-C stops everything.");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeCommand()).execute(args));
    }
}
