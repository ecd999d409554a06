package dev.metaserve.nodes;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.Precision;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code java -jar node.jar --gateway HOST:PORT [options]}: runs a node until SIGTERM or SIGINT. */
@Command(name = "node", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serves the all-minilm-l6-v2 embedding model (and with --lm a language model) over NodeInference"
                + " gRPC and joins a gateway.")
public final class NodeMain implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "0",
            description = "NodeInference gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address the gateway reaches this node at (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--gateway", required = true, description = "host:port of the gateway's NodeRegistry gRPC service.")
    String gateway;

    @Option(names = "--node-id", description = "Id of this node at the gateway (default: node-<random 8 hex>).")
    String nodeId;

    @Option(names = "--join-token", defaultValue = "${env:METASERVE_JOIN_TOKEN:-}",
            description = "Token the gateway checks on Register (default: $METASERVE_JOIN_TOKEN, else empty).")
    String joinToken;

    @Option(names = "--intra-op-threads", defaultValue = "1",
            description = "ONNX Runtime threads within one model run (default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--max-batch-size", defaultValue = "64",
            description = "Most texts one request may carry (default: ${DEFAULT-VALUE}).")
    int maxBatchSize;

    @Option(names = "--queue-capacity", defaultValue = "256",
            description = "Requests that may wait for a batch (per batching setting in use); more are refused with"
                    + " RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(names = "--workers", defaultValue = "1",
            description = "Inference worker threads, i.e. batches computed at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--batching", defaultValue = "none", paramLabel = "none|dynamic(MAX,DELAY_US)",
            description = "Batching of requests that name none: 'none' (each request alone) or 'dynamic(MAX,DELAY_US)'"
                    + " (up to MAX texts per batch, the oldest waiting at most DELAY_US microseconds)"
                    + " (default: ${DEFAULT-VALUE}).")
    String batching;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|int8",
            description = "Precision of requests that name none (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--int8-model", defaultValue = "anchor", paramLabel = "anchor|none|FILE",
            description = "INT8 twin served as precision=int8: 'anchor' (ONNX Runtime's dynamic quantization of the"
                    + " same encoder, bundled), 'none', or an INT8 ONNX file such as one the quant command wrote"
                    + " (default: ${DEFAULT-VALUE}).")
    String int8Model;

    @Option(names = "--lm", defaultValue = LanguageModels.NONE, paramLabel = "bundled|none",
            description = "Language model served for text generation: 'bundled' (the target and draft models shipped"
                    + " in the models jar) or 'none' (default: ${DEFAULT-VALUE}).")
    String languageModel;

    @Option(names = "--decoding", defaultValue = "plain", paramLabel = "plain|draft(K)|ngram(K,N)",
            description = "Decoding of generation requests whose plan names none (default: ${DEFAULT-VALUE}).")
    String decoding;

    @Option(names = "--inject-delay-ms", defaultValue = "0",
            description = "Delay before each NodeInference call is handled, in ms, simulating a slow network link; no"
                    + " thread waits meanwhile (default: ${DEFAULT-VALUE}).")
    long injectDelayMs;

    @Option(names = "--metrics-port", defaultValue = "0",
            description = "HTTP port of the Prometheus /metrics endpoint; 0 picks a free one, -1 turns it off"
                    + " (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--drain-timeout-seconds", defaultValue = "10",
            description = "On shutdown, how long accepted requests may take to finish (default: ${DEFAULT-VALUE}).")
    long drainTimeoutSeconds;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // DJL must never try to download anything; the tokenizer's native library ships in its jar.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        quietLibraryLogging();
        System.exit(new CommandLine(new NodeMain()).execute(args));
    }

    /** Held so the levels set stay in force (java.util.logging keeps loggers only weakly). */
    private static final List<Logger> QUIETED = new ArrayList<>();

    /**
     * DJL reports its platform at INFO and, on machines without CUDA, a failed GPU probe at WARNING; gRPC reports its
     * transport at INFO. None of it concerns a CPU node. Left alone when java.util.logging is configured explicitly.
     */
    private static void quietLibraryLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        Logger djl = Logger.getLogger("ai.djl");
        djl.setLevel(Level.WARNING);
        Logger cuda = Logger.getLogger("ai.djl.util.cuda");
        cuda.setLevel(Level.SEVERE);
        Logger grpc = Logger.getLogger("io.grpc");
        grpc.setLevel(Level.WARNING);
        QUIETED.addAll(List.of(djl, cuda, grpc));
    }

    @Override
    public Integer call() throws Exception {
        NodeSettings settings;
        try {
            settings = new NodeSettings(
                    nodeId == null ? "node-" + UUID.randomUUID().toString().substring(0, 8) : nodeId,
                    host, port, gateway, joinToken, intraOpThreads, maxBatchSize, queueCapacity, workers,
                    Duration.ofSeconds(drainTimeoutSeconds), Batching.parse(batching), metricsPort,
                    Precision.parse(precision), int8Model, languageModel, Decoding.parse(decoding),
                    Duration.ofMillis(injectDelayMs));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        NodeAgent agent = NodeAgent.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "node-shutdown"));
        PrintWriter out = new PrintWriter(System.out, true);
        agent.metricsPort().ifPresent(metrics -> out.println("node " + settings.nodeId() + " metrics on http://"
                + settings.host() + ":" + metrics + MetricsEndpoint.PATH));
        // the last line, and exactly this: launchers wait for it
        out.println("node " + settings.nodeId() + " serving on " + agent.address());
        agent.awaitTermination();
        stopped.await();
        return 0;
    }
}
