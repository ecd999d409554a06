package dev.metaserve.gateway.routing;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.api.InferRequestValidator;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.ModelNotFoundException;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.gateway.api.NoNodeAvailableException;
import dev.metaserve.gateway.config.GatewayConfig;
import dev.metaserve.gateway.selection.ModelConcurrency;
import dev.metaserve.gateway.selection.PlanSelector;
import dev.metaserve.gateway.selection.RequestPreferences;
import dev.metaserve.gateway.selection.TaskProfiles;
import dev.metaserve.selector.store.TaskProfile;
import io.grpc.Deadline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.channels.ClosedChannelException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends a checked request to a node that serves its model: the node and plan the selector chooses when the request
 * names no plan (parameters {@value #BATCHING}, {@value #PRECISION}) and the selector is on, else the least-loaded node
 * under the plan the request names (or the node's default). A node that fails before answering (it is gone, or it is
 * shedding load) costs one retry on another node; other failures, such as a bad request the node refused, go back to
 * the caller as they are. Every answered request is reported to the selector, which learns from it.
 */
@ApplicationScoped
public class InferenceRouter {
    private static final Logger LOG = Logger.getLogger(InferenceRouter.class);
    private static final int RETRIES = 1;
    /** Request and response parameters of the node protocol that carry the plan. */
    static final String BATCHING = "batching";
    static final String PRECISION = "precision";

    private final NodeRegistry registry;
    private final GatewayConfig config;
    private final MeterRegistry meters;
    private final PlanSelector selector;
    private final ModelConcurrency concurrency;

    public InferenceRouter(NodeRegistry registry, GatewayConfig config, MeterRegistry meters, PlanSelector selector,
                           ModelConcurrency concurrency) {
        this.registry = registry;
        this.config = config;
        this.meters = meters;
        this.selector = selector;
        this.concurrency = concurrency;
    }

    /** The model a request names, as the live nodes describe it. */
    public ModelDescriptor model(String name) {
        return registry.model(name).orElseThrow(() -> new ModelNotFoundException(name));
    }

    /**
     * @param callerDeadline the caller's own deadline, or null; the node call gets the sooner of it and
     *                       the configured node-call timeout
     */
    public Uni<ModelInferResponse> infer(ModelInferRequest request, Deadline callerDeadline) {
        return Uni.createFrom().deferred(() -> {
            ModelDescriptor model = model(request.getModelName());
            if (GenerationRouter.TASK.equals(model.getTask())) {
                throw new InvalidRequestException("model '" + request.getModelName() + "' generates text; use POST"
                        + " /v1/completions, /v1/chat/completions or gRPC TextGeneration/Generate");
            }
            InferRequestValidator.validate(request, model.getMetadata(), model.getMaxBatchSize());
            RequestPreferences wanted = RequestPreferences.of(request, selector.defaultObjective(),
                    selector.defaultQualityTolerance());
            Deadline deadline = Deadline.after(config.nodeCallTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (callerDeadline != null) {
                deadline = deadline.minimum(callerDeadline);
            }
            String name = request.getModelName();
            TaskProfile task;
            int inFlight = concurrency.begin(name);
            try {
                task = TaskProfiles.embedding(name, Tensors.strings(request, 0), inFlight, wanted.objective(),
                        wanted.qualityTolerance());
            } catch (RuntimeException e) {
                concurrency.end(name);
                throw e;
            }
            boolean select = selector.enabled() && !namesPlan(request);
            return attempt(request, task, select, deadline, new HashSet<>(), RETRIES, null)
                    .onTermination().invoke(() -> concurrency.end(name));
        });
    }

    private static boolean namesPlan(ModelInferRequest request) {
        return request.containsParameters(BATCHING) || request.containsParameters(PRECISION);
    }

    /**
     * @param select          whether the selector chooses node and plan (else the least-loaded node, the request's plan)
     * @param previousFailure why the last node tried did not answer, or null on the first attempt
     */
    private Uni<ModelInferResponse> attempt(ModelInferRequest request, TaskProfile task, boolean select,
                                            Deadline deadline, Set<String> tried, int retriesLeft,
                                            StatusRuntimeException previousFailure) {
        String model = request.getModelName();
        PlanSelector.Choice choice = select ? selector.chooseOrNull(task, tried) : null;
        RegisteredNode node = choice != null ? choice.node() : registry.leastLoaded(model, tried).orElse(null);
        if (node == null) {
            return Uni.createFrom().failure(noOtherNode(model, tried, previousFailure));
        }
        ModelInferRequest toSend = choice == null ? request : withPlan(request, choice.plan());
        return Uni.createFrom().deferred(() -> {
                    long start = System.nanoTime();
                    double load = selector.loadFactor(node);
                    return call(node, toSend, deadline, PlanSelector.Choice.expectedIdleLatencyMs(choice))
                            .invoke(response -> learn(task, choice, node, load, response, System.nanoTime() - start));
                })
                .onFailure(InferenceRouter::failedBeforeAnswering).recoverWithUni(failure -> {
                    Status.Code code = ((StatusRuntimeException) failure).getStatus().getCode();
                    if (nodeLost(failure)) {
                        registry.evict(node, "call failed: " + failure.getMessage());
                    }
                    if (retriesLeft == 0 || deadline.isExpired()) {
                        return Uni.createFrom().failure(failure);
                    }
                    tried.add(node.id());
                    Counter.builder("gateway.retries")
                            .description("Requests sent again to another node because one failed before answering")
                            .tag("reason", code.name())
                            .register(meters)
                            .increment();
                    return attempt(request, task, select, deadline, tried, retriesLeft - 1,
                            (StatusRuntimeException) failure);
                });
    }

    private static ModelInferRequest withPlan(ModelInferRequest request, Plan plan) {
        return request.toBuilder()
                .putParameters(BATCHING, InferParameter.newBuilder().setStringParam(plan.batching().toString()).build())
                .putParameters(PRECISION, InferParameter.newBuilder().setStringParam(plan.precision().toString())
                        .build())
                .build();
    }

    /** Tells the selector what the answered request cost; never fails the request. */
    private void learn(TaskProfile task, PlanSelector.Choice choice, RegisteredNode node, double load,
                       ModelInferResponse response, long nanos) {
        double latencyMs = nanos / 1e6;
        try {
            if (choice != null) {
                selector.served(choice, latencyMs, 0);
                return;
            }
            InferParameter batching = response.getParametersMap().get(BATCHING);
            InferParameter precision = response.getParametersMap().get(PRECISION);
            if (batching != null && precision != null) {
                selector.servedNamed(task, node, new Plan(Batching.parse(batching.getStringParam()),
                        Precision.parse(precision.getStringParam())), latencyMs, 0, load);
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "selector could not learn from a request to %s", node.id());
        }
    }

    /** An overloaded node's own answer (429) says more than "no node"; a vanished one's does not. */
    static RuntimeException noOtherNode(String model, Set<String> tried, StatusRuntimeException previous) {
        if (previous == null) {
            return new NoNodeAvailableException("no live node serves model '" + model + "'");
        }
        if (previous.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
            return previous;
        }
        return new NoNodeAvailableException("node " + tried + " failed (" + previous.getStatus().getDescription()
                + ") and no other live node serves model '" + model + "'");
    }

    /**
     * The node gave no answer that may be kept: it could not be reached, its connection dropped under the call, or it
     * refused for lack of room. Sending the request again elsewhere is safe: a node's work has no effect beyond its
     * answer.
     */
    static boolean failedBeforeAnswering(Throwable failure) {
        return nodeLost(failure) || failure instanceof StatusRuntimeException e
                && e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED;
    }

    /**
     * The node could not be reached ({@code UNAVAILABLE}), or its connection closed while the call was open: a node
     * killed mid-call shows as {@code UNKNOWN} with a closed channel beneath, depending on where the stream was when
     * the connection went.
     */
    static boolean nodeLost(Throwable failure) {
        if (!(failure instanceof StatusRuntimeException e)) {
            return false;
        }
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAVAILABLE) {
            return true;
        }
        if (code != Status.Code.UNKNOWN) {
            return false;
        }
        for (Throwable cause = e.getStatus().getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** @param expectedMs the call's expected latency on an idle node (NaN: unknown), for the node's backlog */
    private Uni<ModelInferResponse> call(RegisteredNode node, ModelInferRequest request, Deadline deadline,
                                         double expectedMs) {
        return Uni.createFrom().emitter(emitter -> {
            int slot = node.callStarted(expectedMs);
            node.stub().withDeadline(deadline).infer(request, new NodeCallObserver(node, slot, emitter));
        });
    }

    /** Bridges one node call to a Uni; cancels the call if the caller goes away first. */
    private static final class NodeCallObserver implements ClientResponseObserver<ModelInferRequest, ModelInferResponse> {
        private final RegisteredNode node;
        private final int backlogSlot;
        private final UniEmitter<? super ModelInferResponse> emitter;
        private ModelInferResponse response;

        NodeCallObserver(RegisteredNode node, int backlogSlot, UniEmitter<? super ModelInferResponse> emitter) {
            this.node = node;
            this.backlogSlot = backlogSlot;
            this.emitter = emitter;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ModelInferRequest> call) {
            emitter.onTermination(() -> {
                if (response == null) {
                    call.cancel("caller went away", null);
                }
            });
        }

        @Override
        public void onNext(ModelInferResponse value) {
            response = value;
        }

        @Override
        public void onError(Throwable failure) {
            node.callEnded(backlogSlot);
            emitter.fail(failure);
        }

        @Override
        public void onCompleted() {
            node.callEnded(backlogSlot);
            emitter.complete(response);
        }
    }
}
