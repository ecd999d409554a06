package dev.metaserve.nodes;

import dev.metaserve.accelerators.Precision;
import dev.metaserve.api.node.Load;
import dev.metaserve.api.node.RegisterRequest;
import dev.metaserve.models.ModelSpec;
import dev.metaserve.models.SentenceEncoder;
import dev.metaserve.nodes.generation.GenerationMetrics;
import dev.metaserve.nodes.generation.GenerationService;
import dev.metaserve.nodes.generation.TextGenerationModel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
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
 * A running node: models (the embedding model, and a language model if asked for), batchers, metrics endpoint, gRPC server and gateway lease, started in that order and stopped
 * in reverse by {@link #close()} (deregister, stop taking calls, drain accepted work, stop metrics, release the model).
 */
public final class NodeAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeAgent.class.getName());

    private final NodeSettings settings;
    private final List<SentenceEncoder> encoders;
    private final InferenceRunner runner;
    private final GenerationService generation;
    private final MetricsEndpoint metricsEndpoint;
    private final NodeServer server;
    private final ManagedChannel gatewayChannel;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService delayScheduler;
    private final InjectedDelay injectedDelay;
    private final GatewayRegistration registration;
    private final String address;

    private NodeAgent(NodeSettings settings, List<SentenceEncoder> encoders, InferenceRunner runner,
                      GenerationService generation, MetricsEndpoint metricsEndpoint, NodeServer server,
                      ManagedChannel gatewayChannel, ScheduledExecutorService scheduler,
                      ScheduledExecutorService delayScheduler, InjectedDelay injectedDelay,
                      GatewayRegistration registration, String address) {
        this.settings = settings;
        this.encoders = encoders;
        this.runner = runner;
        this.generation = generation;
        this.metricsEndpoint = metricsEndpoint;
        this.server = server;
        this.gatewayChannel = gatewayChannel;
        this.scheduler = scheduler;
        this.delayScheduler = delayScheduler;
        this.injectedDelay = injectedDelay;
        this.registration = registration;
        this.address = address;
    }

    /**
     * Fault injection: from now on each NodeInference call waits this long before it is handled, as behind a slow
     * link (zero: no wait). The hardware descriptor keeps the delay the node started with. For chaos drills and tests
     * of how the gateway copes with a node that turns slow.
     */
    public void injectDelay(Duration delay) {
        injectedDelay.set(delay);
    }

    /** Loads the models, starts serving and starts registering; returns once the server listens. */
    public static NodeAgent start(NodeSettings settings) throws IOException {
        return start(settings, LanguageModels.PRODUCTION);
    }

    /** As {@link #start(NodeSettings)}, with the language model (if the settings ask for one) from {@code lms}. */
    public static NodeAgent start(NodeSettings settings, LanguageModels lms) throws IOException {
        // what has been opened so far; should a later step fail, closed in reverse order
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            SentenceEncoder encoder = SentenceEncoder.load(settings.intraOpThreads());
            opened.add(encoder);
            Optional<SentenceEncoder> int8 = Int8Twin.load(settings.int8Model(), settings.intraOpThreads());
            int8.ifPresent(opened::add);
            Optional<TextGenerationModel> lm = lms.load(settings);
            lm.ifPresent(opened::add); // the GenerationService below uses it but does not get to close it here
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
            opened.add(runner::shutdownNow);
            GenerationService generation = new GenerationService(settings.nodeId(), lm.orElse(null),
                    new GenerationMetrics(registry));
            MetricsEndpoint metricsEndpoint = null;
            if (settings.metricsPort() >= 0) {
                metricsEndpoint = MetricsEndpoint.start(settings.metricsPort(), registry);
                opened.add(metricsEndpoint);
            }
            ServerServiceDefinition service = new NodeInferenceService(settings.nodeId(), model, runner, generation)
                    .bindService();
            // always in place, so a delay can be injected later (injectDelay); zero passes calls straight through
            ScheduledExecutorService delayScheduler = daemonScheduler("node-injected-delay");
            opened.add(delayScheduler::shutdownNow);
            InjectedDelay injectedDelay = new InjectedDelay(settings.injectedDelay(), delayScheduler);
            service = ServerInterceptors.intercept(service, injectedDelay);
            NodeServer server = NodeServer.onPort(settings.port(), service).start();
            opened.add(() -> {
                server.shutdown();
                server.awaitTermination(Duration.ofSeconds(1));
            });
            String address = settings.host() + ":" + server.port();
            ManagedChannel channel = Grpc.newChannelBuilder(settings.gateway(), InsecureChannelCredentials.create())
                    .build();
            opened.add(channel::shutdownNow);
            ScheduledExecutorService scheduler = daemonScheduler("node-registration");
            opened.add(scheduler::shutdownNow);
            RegisterRequest.Builder request = RegisterRequest.newBuilder()
                    .setNodeId(settings.nodeId())
                    .setAddress(address)
                    .setHardware(HardwareProbe.describe(settings.intraOpThreads(),
                            (int) settings.injectedDelay().toMillis()))
                    .addModels(model.descriptor().toBuilder().addAllPrecisions(embedders.keySet().stream()
                            .map(Precision::toString).toList()))
                    .setJoinToken(settings.joinToken());
            generation.descriptor().ifPresent(request::addModels);
            GatewayRegistration registration = new GatewayRegistration(channel, request.build(),
                    () -> load(runner, generation), scheduler, GatewayRegistration.Settings.defaults());
            registration.start();
            return new NodeAgent(settings, encoders, runner, generation, metricsEndpoint, server, channel, scheduler,
                    delayScheduler, injectedDelay, registration, address);
        } catch (Throwable e) {
            closeInReverse(opened, e);
            throw e;
        }
    }

    private static ScheduledExecutorService daemonScheduler(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Closes what a failed start had opened, last first; their own failures are added to {@code failure}. */
    private static void closeInReverse(List<AutoCloseable> opened, Throwable failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.addSuppressed(e);
            } catch (Exception | Error e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * The runner's figures with generation added: running generation calls in flight, and jobs waiting to join the
     * engine's running batch in the queue depth.
     */
    private static Load load(InferenceRunner runner, GenerationService generation) {
        Load embedding = runner.load();
        return embedding.toBuilder()
                .setQueueDepth(embedding.getQueueDepth() + generation.queueDepth())
                .setInFlight(embedding.getInFlight() + generation.inFlight())
                .build();
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
            long drainEnd = System.nanoTime() + settings.drainTimeout().toNanos();
            if (!runner.awaitDrained(settings.drainTimeout())
                    || !generation.awaitIdle(Duration.ofNanos(Math.max(0, drainEnd - System.nanoTime())))) {
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
            delayScheduler.shutdownNow();
            gatewayChannel.shutdownNow();
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            try {
                gatewayChannel.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            generation.close();
            encoders.forEach(SentenceEncoder::close);
            LOG.log(Level.DEBUG, () -> "node " + settings.nodeId() + " stopped");
        }
    }
}
