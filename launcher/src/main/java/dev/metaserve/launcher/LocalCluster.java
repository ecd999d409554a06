package dev.metaserve.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway and a few nodes as separate processes on loopback, started from the built programs
 * ({@code gateway/target/quarkus-app}, {@code nodes/target/node.jar}). Used by the run command, the
 * system tests and the benchmarks, so all three exercise the product as it is shipped.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Pattern NODE_READY = Pattern.compile("node (\\S+) serving on (\\S+):(\\d+)");
    private static final Pattern NODE_METRICS = Pattern.compile("node \\S+ metrics on (\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * @param projectRoot   the checkout, where the built programs are
     * @param httpPort      the gateway's HTTP port, 0 for any free one
     * @param grpcPort      the gateway's gRPC port, 0 for any free one
     * @param joinToken     token nodes present to register
     * @param apiKeys       comma-separated client keys, empty for open access
     * @param nodeArgs      extra arguments for every node
     * @param gatewayProps  extra -D settings for the gateway, e.g. "gateway.lease-ttl=2s"
     */
    public record Options(Path projectRoot, int httpPort, int grpcPort, int nodes, String joinToken, String apiKeys,
                          List<String> nodeArgs, List<String> gatewayProps, Path logDir) {
        public static Options defaults(Path projectRoot) {
            return new Options(projectRoot, 0, 0, 2, "local-" + Long.toHexString(System.nanoTime()), "",
                    List.of(), List.of(), projectRoot.resolve("target/cluster-logs"));
        }

        public Options withPorts(int http, int grpc) {
            return new Options(projectRoot, http, grpc, nodes, joinToken, apiKeys, nodeArgs, gatewayProps, logDir);
        }

        public Options withNodes(int count) {
            return new Options(projectRoot, httpPort, grpcPort, count, joinToken, apiKeys, nodeArgs, gatewayProps, logDir);
        }

        public Options withApiKeys(String keys) {
            return new Options(projectRoot, httpPort, grpcPort, nodes, joinToken, keys, nodeArgs, gatewayProps, logDir);
        }

        public Options withNodeArgs(List<String> args) {
            return new Options(projectRoot, httpPort, grpcPort, nodes, joinToken, apiKeys, args, gatewayProps, logDir);
        }

        public Options withGatewayProps(List<String> props) {
            return new Options(projectRoot, httpPort, grpcPort, nodes, joinToken, apiKeys, nodeArgs, props, logDir);
        }

        public Options withLogDir(Path dir) {
            return new Options(projectRoot, httpPort, grpcPort, nodes, joinToken, apiKeys, nodeArgs, gatewayProps, dir);
        }
    }

    /**
     * A started node: its process, the address it serves the node protocol on, and where its
     * Prometheus metrics are (empty when the node serves none).
     */
    public record Node(String id, String host, int port, String metricsUrl, ManagedProcess process) {
        public String target() {
            return host + ":" + port;
        }
    }

    private final Options options;
    private final int httpPort;
    private final int grpcPort;
    private final List<String> gatewayCommand;
    private ManagedProcess gateway;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int nodesStarted;

    private LocalCluster(Options options, int httpPort, int grpcPort, List<String> gatewayCommand)
            throws IOException {
        this.options = options;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.gatewayCommand = List.copyOf(gatewayCommand);
        this.gateway = ManagedProcess.start("gateway", gatewayCommand, options.logDir());
    }

    /** Starts the gateway, then the nodes, and returns once every node holds a lease. */
    public static LocalCluster start(Options options) throws IOException, InterruptedException {
        Path gatewayJar = options.projectRoot().resolve("gateway/target/quarkus-app/quarkus-run.jar");
        requireBuilt(gatewayJar);
        requireBuilt(options.projectRoot().resolve("nodes/target/node.jar"));
        int http = options.httpPort() == 0 ? freePort() : options.httpPort();
        int grpc = options.grpcPort() == 0 ? freePort() : options.grpcPort();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m",
                "-Dquarkus.http.port=" + http,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.grpc.server.port=" + grpc,
                "-Dquarkus.grpc.server.host=127.0.0.1",
                "-Dgateway.join-token=" + options.joinToken(),
                // the selector's history of this cluster's traffic beside its logs, not in the working directory
                // (a gateway property given in the options comes later and wins)
                "-Dgateway.selector.store=" + options.logDir().resolve("selector-history").toAbsolutePath()));
        if (!options.apiKeys().isBlank()) {
            command.add("-Dgateway.api-keys=" + options.apiKeys());
        }
        options.gatewayProps().forEach(p -> command.add("-D" + p));
        command.addAll(List.of("-jar", gatewayJar.toString()));
        LocalCluster cluster = new LocalCluster(options, http, grpc, command);
        try {
            cluster.awaitHttp("/v2/health/live", START_TIMEOUT);
            for (int i = 0; i < options.nodes(); i++) {
                cluster.startNode(List.of());
            }
            cluster.awaitNodes(options.nodes(), START_TIMEOUT);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts one more node with extra arguments and waits until it serves (not until it has registered). */
    public Node startNode(List<String> extraArgs) throws IOException, InterruptedException {
        return startNode(NodeLaunch.of(extraArgs));
    }

    /**
     * Starts one more node, with its own arguments (after the cluster's node arguments), CPU affinity and heap, and
     * waits until it serves (not until it has registered).
     */
    public Node startNode(NodeLaunch launch) throws IOException, InterruptedException {
        String id = "node-" + (++nodesStarted);
        List<String> args = new ArrayList<>(options.nodeArgs());
        args.addAll(launch.args());
        Node node = launchNode(options.projectRoot(), id, "127.0.0.1:" + grpcPort, options.joinToken(),
                new NodeLaunch(args, launch.cpuList(), launch.heapMb()), options.logDir());
        nodes.add(node);
        return node;
    }

    /**
     * Starts one node process on loopback, on its own, that registers with {@code registryTarget} (a gateway's gRPC
     * port, or any other NodeRegistry service, such as a profiling sweep's), and waits until it serves. The caller
     * owns the process; its output goes to {@code <logDir>/<nodeId>.log}.
     */
    public static Node launchNode(Path projectRoot, String nodeId, String registryTarget, String joinToken,
                                  NodeLaunch launch, Path logDir) throws IOException, InterruptedException {
        Path jar = projectRoot.resolve("nodes/target/node.jar");
        requireBuilt(jar);
        List<String> command = launch.command(java(), jar, List.of(
                "--node-id", nodeId,
                "--host", "127.0.0.1",
                "--port", "0",
                "--gateway", registryTarget,
                "--join-token", joinToken));
        ManagedProcess process = ManagedProcess.start(nodeId, command, logDir);
        try {
            String line = process.awaitLine(l -> NODE_READY.matcher(l).find(), START_TIMEOUT);
            Matcher m = NODE_READY.matcher(line);
            m.find();
            String metrics = Files.readAllLines(process.log()).stream()
                    .map(NODE_METRICS::matcher).filter(Matcher::find).map(x -> x.group(1)).findFirst().orElse("");
            return new Node(m.group(1), m.group(2), Integer.parseInt(m.group(3)), metrics, process);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.kill();
            throw e;
        }
    }

    /**
     * Kills the gateway outright and starts it again on the same ports; the nodes are left running and
     * must find it again by themselves.
     */
    public void restartGateway() throws IOException, InterruptedException {
        gateway.kill();
        gateway = ManagedProcess.start("gateway-restarted", gatewayCommand, options.logDir());
        awaitHttp("/v2/health/live", START_TIMEOUT);
    }

    /** Waits until the gateway lists exactly this many live nodes. */
    public void awaitNodes(int count, Duration timeout) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(end)) {
            Optional<String> body = get("/admin/nodes");
            if (body.isPresent()) {
                last = body.get();
                if (countIds(last) == count) {
                    return;
                }
            }
            if (!gateway.isAlive()) {
                throw new IOException("gateway exited; see " + gateway.log());
            }
            Thread.sleep(100);
        }
        throw new IOException("gateway did not list " + count + " nodes in " + timeout + "; last answer " + last);
    }

    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public String grpcTarget() {
        return "127.0.0.1:" + grpcPort;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public ManagedProcess gateway() {
        return gateway;
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes) {
            node.process().close();
        }
        gateway.close();
    }

    private void awaitHttp(String path, Duration timeout) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (get(path).isPresent()) {
                return;
            }
            if (!gateway.isAlive()) {
                throw new IOException("gateway exited; see " + gateway.log());
            }
            Thread.sleep(100);
        }
        throw new IOException("gateway did not answer " + path + " in " + timeout + "; see " + gateway.log());
    }

    private Optional<String> get(String path) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(httpUri().resolve(path)).timeout(Duration.ofSeconds(2));
        if (!options.apiKeys().isBlank()) {
            request.header("Authorization", "Bearer " + options.apiKeys().split(",")[0].trim());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int countIds(String json) {
        Matcher m = Pattern.compile("\"id\"\\s*:").matcher(json);
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }

    private static void requireBuilt(Path program) {
        if (!Files.exists(program)) {
            throw new UncheckedIOException(new IOException(program + " is missing: build first with 'mvn -DskipTests package'"));
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
