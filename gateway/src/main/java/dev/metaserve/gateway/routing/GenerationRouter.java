package dev.metaserve.gateway.routing;

import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.ModelNotFoundException;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.gateway.config.GatewayConfig;
import dev.metaserve.gateway.telemetry.GatewayMetrics;
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

/**
 * Streams a generation from the least-loaded live node serving the model. A node that fails before its first chunk
 * (it is gone, or its engine is full) costs one retry on another node; once a chunk has reached the caller the stream
 * is that node's, and a failure ends it. A node that answers UNAVAILABLE (unreachable, or shutting down) is evicted,
 * before or after its first chunk. The stream has a deadline: the caller's, capped by
 * {@code gateway.generation-timeout}. Cancelling the stream cancels the node call, and so the node's job.
 */
@ApplicationScoped
public class GenerationRouter {
    public static final String TASK = "text-generation";
    private static final int RETRIES = 1;

    private final NodeRegistry registry;
    private final GatewayConfig config;
    private final MeterRegistry meters;
    private final GatewayMetrics metrics;

    public GenerationRouter(NodeRegistry registry, GatewayConfig config, MeterRegistry meters, GatewayMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.meters = meters;
        this.metrics = metrics;
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
            return Multi.createFrom().<GenerateResponse>emitter(emitter ->
                    new Attempts(request, effective, emitter).next(null));
        });
    }

    /**
     * The node calls of one stream: the first, and at most {@value #RETRIES} more while nothing was streamed. When the
     * caller goes away the node call open then is cancelled, whichever it is, and no other is started.
     */
    private final class Attempts {
        private final GenerateRequest request;
        private final Deadline deadline;
        private final MultiEmitter<? super GenerateResponse> emitter;
        private final Set<String> tried = new HashSet<>();
        private int retriesLeft = RETRIES;
        /** The node call now open (or about to be); guarded by this. */
        private NodeStream current;
        /** The caller has gone or the stream has ended; guarded by this. */
        private boolean over;

        Attempts(GenerateRequest request, Deadline deadline, MultiEmitter<? super GenerateResponse> emitter) {
            this.request = request;
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
            RegisteredNode node = registry.leastLoaded(request.getModel(), tried).orElse(null);
            if (node == null) {
                emitter.fail(InferenceRouter.noOtherNode(request.getModel(), tried, previousFailure));
                return;
            }
            NodeStream stream = new NodeStream(node);
            synchronized (this) {
                if (over) {
                    return; // the caller went away meanwhile
                }
                current = stream;
            }
            node.callStarted();
            node.stub().withDeadline(deadline).generate(request, stream);
            stream.started();
        }

        /** One node call's chunks, passed on as they come. */
        private final class NodeStream implements ClientResponseObserver<GenerateRequest, GenerateResponse> {
            private final RegisteredNode node;
            private volatile boolean received;
            /** Guarded by this: the call, whether it has been started, whether it should be cancelled or has ended. */
            private ClientCallStreamObserver<GenerateRequest> call;
            private boolean started;
            private boolean cancelWanted;
            private boolean finished;

            NodeStream(RegisteredNode node) {
                this.node = node;
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
                node.callEnded();
            }

            @Override
            public void onNext(GenerateResponse chunk) {
                received = true;
                if (!chunk.getFinishReason().isEmpty()) {
                    metrics.generated(request.getModel(), chunk.getUsage().getCompletionTokens());
                }
                emitter.emit(chunk);
            }

            @Override
            public void onError(Throwable failure) {
                finished();
                Status.Code code = Status.fromThrowable(failure).getCode();
                if (code == Status.Code.UNAVAILABLE) {
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
                emitter.complete();
            }
        }
    }
}
