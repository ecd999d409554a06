package dev.metaserve.nodes;

import dev.metaserve.accelerators.Precision;
import dev.metaserve.api.node.RegisterRequest;
import dev.metaserve.models.ModelSpec;
import dev.metaserve.models.SentenceEncoder;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running node: model, batchers, metrics endpoint, gRPC server and gateway lease, started in that order and stopped
 * in reverse by {@link #close()} (deregister, stop taking calls, drain accepted work, stop metrics, release the model).
 */
public final class NodeAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeAgent.class.getName());

    private final NodeSettings settings;
    private final List<SentenceEncoder> encoders;
    private final InferenceRunner runner;
    private final MetricsEndpoint metricsEndpoint;
    private final NodeServer server;
    private final ManagedChannel gatewayChannel;
    private final ScheduledExecutorService scheduler;
    private final GatewayRegistration registration;
    private final String address;

    private NodeAgent(NodeSettings settings, List<SentenceEncoder> encoders, InferenceRunner runner,
                      MetricsEndpoint metricsEndpoint, NodeServer server, ManagedChannel gatewayChannel,
                      ScheduledExecutorService scheduler, GatewayRegistration registration, String address) {
        this.settings = settings;
        this.encoders = encoders;
        this.runner = runner;
        this.metricsEndpoint = metricsEndpoint;
        this.server = server;
        this.gatewayChannel = gatewayChannel;
        this.scheduler = scheduler;
        this.registration = registration;
        this.address = address;
    }

    /** Loads the model, starts serving and starts registering; returns once the server listens. */
    public static NodeAgent start(NodeSettings settings) throws IOException {
        SentenceEncoder encoder = SentenceEncoder.load(settings.intraOpThreads());
        Optional<SentenceEncoder> int8;
        try {
            int8 = Int8Twin.load(settings.int8Model(), settings.intraOpThreads());
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
        List<SentenceEncoder> encoders = new ArrayList<>(List.of(encoder));
        int8.ifPresent(encoders::add);
        EmbeddingModel model = EmbeddingModel.of(ModelSpec.ALL_MINILM_L6_V2, encoder.dimension(),
                settings.maxBatchSize(), encoder::encode);
        Map<Precision, TextEmbedder> embedders = new EnumMap<>(Precision.class);
        embedders.put(Precision.FP32, model.embedder());
        int8.ifPresent(twin -> embedders.put(Precision.INT8, twin::encode));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InferenceRunner runner = new InferenceRunner(embedders, settings.defaultPlan(), settings.workers(),
                settings.queueCapacity(), new NodeMetrics(registry));
        MetricsEndpoint metricsEndpoint = null;
        NodeServer server;
        try {
            if (settings.metricsPort() >= 0) {
                metricsEndpoint = MetricsEndpoint.start(settings.metricsPort(), registry);
            }
            server = NodeServer.onPort(settings.port(), new NodeInferenceService(settings.nodeId(), model, runner))
                    .start();
        } catch (IOException | RuntimeException e) {
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            runner.shutdownNow();
            encoders.forEach(SentenceEncoder::close);
            throw e;
        }
        String address = settings.host() + ":" + server.port();
        ManagedChannel channel = Grpc.newChannelBuilder(settings.gateway(), InsecureChannelCredentials.create())
                .build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "node-registration");
            thread.setDaemon(true);
            return thread;
        });
        RegisterRequest request = RegisterRequest.newBuilder()
                .setNodeId(settings.nodeId())
                .setAddress(address)
                .setHardware(HardwareProbe.describe(settings.intraOpThreads()))
                .addModels(model.descriptor())
                .setJoinToken(settings.joinToken())
                .build();
        GatewayRegistration registration = new GatewayRegistration(channel, request, runner::load, scheduler,
                GatewayRegistration.Settings.defaults());
        registration.start();
        return new NodeAgent(settings, encoders, runner, metricsEndpoint, server, channel, scheduler, registration,
                address);
    }

    /** host:port this node advertises. */
    public String address() {
        return address;
    }

    public int port() {
        return server.port();
    }

    /** Port of the {@code /metrics} endpoint; empty when it is off. */
    public OptionalInt metricsPort() {
        return metricsEndpoint == null ? OptionalInt.empty() : OptionalInt.of(metricsEndpoint.port());
    }

    public GatewayRegistration registration() {
        return registration;
    }

    /** Blocks until the server has stopped. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        LOG.log(Level.DEBUG, () -> "node " + settings.nodeId() + " stopping: deregistering");
        registration.close();
        LOG.log(Level.DEBUG, () -> "node " + settings.nodeId() + " stopping: draining accepted work");
        server.shutdown();
        runner.shutdown();
        try {
            if (!runner.awaitDrained(settings.drainTimeout())) {
                LOG.log(Level.WARNING, "node " + settings.nodeId() + ": work still running after "
                        + settings.drainTimeout().toSeconds() + " s; dropping it");
                runner.shutdownNow();
            }
            LOG.log(Level.DEBUG, () -> "node " + settings.nodeId() + " stopping: closing the server");
            server.awaitTermination(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runner.shutdownNow();
        } finally {
            scheduler.shutdownNow();
            gatewayChannel.shutdownNow();
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            try {
                gatewayChannel.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            encoders.forEach(SentenceEncoder::close);
            LOG.log(Level.DEBUG, () -> "node " + settings.nodeId() + " stopped");
        }
    }
}
