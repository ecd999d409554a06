package dev.metaserve.gateway.routing;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.ModelNotFoundException;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.gateway.config.GatewayConfig;
import dev.metaserve.gateway.selection.ModelConcurrency;
import dev.metaserve.gateway.selection.PlanSelector;
import dev.metaserve.gateway.selection.RequestPreferences;
import dev.metaserve.gateway.selection.TaskProfiles;
import dev.metaserve.gateway.telemetry.GatewayMetrics;
import dev.metaserve.selector.store.TaskProfile;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Streams a generation from a live node serving the model: the node and decoding the selector chooses when the request
 * names no plan and the selector is on, else the least-loaded node under the request's plan. Each completed stream is
 * reported to the selector. A node that fails before its first chunk
 * (it is gone, or its engine is full) costs one retry on another node; once a chunk has reached the caller the stream
 * is that node's, and a failure ends it. A node that answers UNAVAILABLE (unreachable, or shutting down) is evicted,
 * before or after its first chunk. The stream has a deadline: the caller's, capped by
 * {@code gateway.generation-timeout}. Cancelling the stream cancels the node call, and so the node's job.
 */
@ApplicationScoped
public class GenerationRouter {
    public static final String TASK = "text-generation";
    private static final Logger LOG = Logger.getLogger(GenerationRouter.class);
    private static final int RETRIES = 1;
    /** Tokens a request generates at most when it names no max_tokens (as OpenAI's completions). */
    private static final int DEFAULT_MAX_TOKENS = 16;

    private final NodeRegistry registry;
    private final GatewayConfig config;
    private final MeterRegistry meters;
    private final GatewayMetrics metrics;
    private final PlanSelector selector;
    private final ModelConcurrency concurrency;

    public GenerationRouter(NodeRegistry registry, GatewayConfig config, MeterRegistry meters, GatewayMetrics metrics,
                            PlanSelector selector, ModelConcurrency concurrency) {
        this.registry = registry;
        this.config = config;
        this.meters = meters;
        this.metrics = metrics;
        this.selector = selector;
        this.concurrency = concurrency;
    }

    /** The language model a request names: 404 when no live node serves it, 400 when it does not generate text. */
    public ModelDescriptor model(String name) {
        ModelDescriptor model = registry.model(name).orElseThrow(() -> new ModelNotFoundException(name));
        if (!TASK.equals(model.getTask())) {
            throw new InvalidRequestException("model '" + name + "' does " + model.getTask() + ", not text generation");
        }
        return model;
    }

    /**
     * @param callerDeadline the caller's own deadline, or null
     * @return the node's chunks; fails before the first one with the gateway's or the node's refusal
     */
    public Multi<GenerateResponse> generate(GenerateRequest request, Deadline callerDeadline) {
        return Multi.createFrom().deferred(() -> {
            GenerateRequestChecks.check(request); // first: a blank model is a bad request, not an unknown model
            model(request.getModel());
            Deadline deadline = Deadline.after(config.generationTimeout().toMillis(), TimeUnit.MILLISECONDS);
            Deadline effective = callerDeadline == null ? deadline : deadline.minimum(callerDeadline);
            String name = request.getModel();
            // begun when subscribed, ended however the stream ends (the emitter takes one termination callback,
            // which Attempts uses)
            return Multi.createFrom().<GenerateResponse>emitter(emitter -> {
                int inFlight = concurrency.begin(name);
                TaskProfile task = TaskProfiles.generation(name, request.getPrompt(),
                        request.getMaxTokens() == 0 ? DEFAULT_MAX_TOKENS : request.getMaxTokens(), inFlight,
                        request.getObjective().isEmpty() ? selector.defaultObjective()
                                : RequestPreferences.objective(request.getObjective(), "'objective'"),
                        request.hasQualityTolerance() ? request.getQualityTolerance()
                                : selector.defaultQualityTolerance());
                new Attempts(request, task, selector.enabled() && request.getPlan().isEmpty(), effective, emitter)
                        .next(null);
            }).onTermination().invoke(() -> concurrency.end(name));
        });
    }

    /**
     * The node calls of one stream: the first, and at most {@value #RETRIES} more while nothing was streamed. When the
     * caller goes away the node call open then is cancelled, whichever it is, and no other is started.
     */
    private final class Attempts {
        private final GenerateRequest request;
        private final TaskProfile task;
        /** Whether the selector chooses node and decoding. */
        private final boolean select;
        private final Deadline deadline;
        private final MultiEmitter<? super GenerateResponse> emitter;
        private final Set<String> tried = new HashSet<>();
        private int retriesLeft = RETRIES;
        /** The node call now open (or about to be); guarded by this. */
        private NodeStream current;
        /** The caller has gone or the stream has ended; guarded by this. */
        private boolean over;

        Attempts(GenerateRequest request, TaskProfile task, boolean select, Deadline deadline,
                 MultiEmitter<? super GenerateResponse> emitter) {
            this.request = request;
            this.task = task;
            this.select = select;
            this.deadline = deadline;
            this.emitter = emitter;
            emitter.onTermination(() -> {
                NodeStream open;
                synchronized (this) {
                    over = true;
                    open = current;
                }
                if (open != null) {
                    open.cancel();
                }
            });
        }

        void next(StatusRuntimeException previousFailure) {
            PlanSelector.Choice choice = select ? selector.chooseOrNull(task, tried) : null;
            RegisteredNode node = choice != null ? choice.node()
                    : registry.leastLoaded(request.getModel(), tried).orElse(null);
            if (node == null) {
                emitter.fail(InferenceRouter.noOtherNode(request.getModel(), tried, previousFailure));
                return;
            }
            GenerateRequest toSend = choice == null ? request
                    : request.toBuilder().setPlan("decoding=" + choice.plan().decoding()).build();
            NodeStream stream = new NodeStream(node, choice);
            synchronized (this) {
                if (over) {
                    return; // the caller went away meanwhile
                }
                current = stream;
            }
            stream.backlogSlot = node.callStarted(PlanSelector.Choice.expectedIdleLatencyMs(choice));
            node.stub().withDeadline(deadline).generate(toSend, stream);
            stream.started();
        }

        /** One node call's chunks, passed on as they come. */
        private final class NodeStream implements ClientResponseObserver<GenerateRequest, GenerateResponse> {
            private final RegisteredNode node;
            private final PlanSelector.Choice choice;
            private final long startNanos = System.nanoTime();
            private final double loadAtStart;
            /** Set before the call starts, read when it ends. */
            private int backlogSlot;
            private volatile boolean received;
            /** The chunk with the finish reason, usage and plan; null until it came. */
            private volatile GenerateResponse last;
            /** Guarded by this: the call, whether it has been started, whether it should be cancelled or has ended. */
            private ClientCallStreamObserver<GenerateRequest> call;
            private boolean started;
            private boolean cancelWanted;
            private boolean finished;

            NodeStream(RegisteredNode node, PlanSelector.Choice choice) {
                this.node = node;
                this.choice = choice;
                this.loadAtStart = selector.loadFactor(node);
            }

            @Override
            public void beforeStart(ClientCallStreamObserver<GenerateRequest> requestStream) {
                synchronized (this) {
                    call = requestStream;
                }
            }

            /**
             * The call has been started: a cancel asked for before now happens now (gRPC refuses to start a call that
             * was cancelled before it started).
             */
            void started() {
                boolean cancelNow;
                synchronized (this) {
                    started = true;
                    cancelNow = cancelWanted && !finished;
                }
                if (cancelNow) {
                    call.cancel("caller went away", null);
                }
            }

            /** The caller went away: cancels the call, now if it has started, else as soon as it has. */
            void cancel() {
                boolean cancelNow;
                synchronized (this) {
                    cancelWanted = true;
                    cancelNow = started && !finished;
                }
                if (cancelNow) {
                    call.cancel("caller went away", null);
                }
            }

            private void finished() {
                synchronized (this) {
                    finished = true;
                }
                node.callEnded(backlogSlot);
            }

            @Override
            public void onNext(GenerateResponse chunk) {
                received = true;
                if (!chunk.getFinishReason().isEmpty()) {
                    metrics.generated(request.getModel(), chunk.getUsage().getCompletionTokens());
                    last = chunk;
                }
                emitter.emit(chunk);
            }

            @Override
            public void onError(Throwable failure) {
                finished();
                Status.Code code = Status.fromThrowable(failure).getCode();
                if (InferenceRouter.nodeLost(failure)) {
                    // unreachable or shutting down, whether or not it had sent chunks; evicting never blocks
                    registry.evict(node, "call failed: " + failure.getMessage());
                }
                if (!received && InferenceRouter.failedBeforeAnswering(failure) && retriesLeft > 0
                        && !deadline.isExpired() && !emitter.isCancelled()) {
                    retriesLeft--;
                    tried.add(node.id());
                    Counter.builder("gateway.retries")
                            .description("Requests sent again to another node because one failed before answering")
                            .tag("reason", code.name())
                            .register(meters)
                            .increment();
                    next((StatusRuntimeException) failure);
                    return;
                }
                emitter.fail(failure);
            }

            @Override
            public void onCompleted() {
                finished();
                learn();
                emitter.complete();
            }

            /** Tells the selector what the whole stream cost; never fails the stream. */
            private void learn() {
                GenerateResponse end = last;
                if (end == null) {
                    return;
                }
                double latencyMs = (System.nanoTime() - startNanos) / 1e6;
                int tokens = end.getUsage().getCompletionTokens();
                try {
                    if (choice != null) {
                        selector.served(choice, latencyMs, tokens);
                    } else if (!end.getPlan().isEmpty()) {
                        selector.servedNamed(task, node, Plan.parse(end.getPlan()), latencyMs, tokens, loadAtStart);
                    }
                } catch (RuntimeException e) {
                    LOG.debugf(e, "selector could not learn from a generation on %s", node.id());
                }
            }
        }
    }
}
