package dev.metaserve.nodes;

import dev.metaserve.accelerators.BatcherClosedException;
import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.accelerators.CancelledBeforeStartException;
import dev.metaserve.accelerators.QueueFullException;
import dev.metaserve.accelerators.generation.GeneratorClosedException;
import dev.metaserve.api.InferRequestValidator;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.ModelNotFoundException;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.inference.ModelInferResponse.InferOutputTensor;
import dev.metaserve.api.node.NodeInferenceGrpc;
import dev.metaserve.models.Embeddings;
import dev.metaserve.nodes.generation.GenerationService;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * NodeInference over gRPC. Infer checks the request on the transport thread, runs the model through the
 * {@link InferenceRunner}'s batchers under the request's plan (parameters {@value #BATCHING} and {@value #PRECISION},
 * each else the node's own), answers with the request's own embeddings in raw FP32 form. Every failure leaves as a {@link Status} with a description;
 * the mapping from this node's exceptions to statuses is {@link #toStatus}, and nowhere else. Generate streams a
 * completion from the node's language model ({@link GenerationService}).
 */
public final class NodeInferenceService extends NodeInferenceGrpc.NodeInferenceImplBase {
    /** Response parameter: tokens the request's texts were encoded to, special tokens included (int64_param). */
    public static final String PROMPT_TOKENS = "prompt_tokens";
    /** Response parameter: the id of the node that computed the response (string_param). */
    public static final String NODE_ID = "node_id";
    /**
     * Request parameter (string_param, optional): the batching setting to run under, {@code none} or
     * {@code dynamic(MAX_BATCH_SIZE,MAX_QUEUE_DELAY_US)}; the node's default when absent. Response parameter: the
     * setting used.
     */
    public static final String BATCHING = "batching";
    /**
     * Request parameter (string_param, optional): {@code fp32} or {@code int8}, the twin of the model to run; the
     * node's default when absent. Response parameter: the precision used.
     */
    public static final String PRECISION = "precision";
    /** Response parameter: rows (texts) in the batch this request ran in, its own included (int64_param). */
    public static final String BATCH_ROWS = "batch_rows";

    private static final System.Logger LOG = System.getLogger(NodeInferenceService.class.getName());

    private final String nodeId;
    private final EmbeddingModel model;
    private final InferenceRunner runner;
    private final GenerationService generation;

    /** A node without a language model. */
    public NodeInferenceService(String nodeId, EmbeddingModel model, InferenceRunner runner) {
        this(nodeId, model, runner, new GenerationService(nodeId, null, null));
    }

    public NodeInferenceService(String nodeId, EmbeddingModel model, InferenceRunner runner,
                                GenerationService generation) {
        this.nodeId = nodeId;
        this.model = model;
        this.runner = runner;
        this.generation = generation;
    }

    /**
     * Streams a completion (see {@link GenerationService}); every failure before the first chunk leaves as a status
     * from {@link #toStatus}, so a bad request is refused before anything is streamed.
     */
    @Override
    public void generate(GenerateRequest request, StreamObserver<GenerateResponse> responseObserver) {
        Context context = Context.current();
        try {
            generation.start(request, (ServerCallStreamObserver<GenerateResponse>) responseObserver);
        } catch (RuntimeException e) {
            responseObserver.onError(toStatus(e, context, request.getModel()).asRuntimeException());
        }
    }

    @Override
    public void infer(ModelInferRequest request, StreamObserver<ModelInferResponse> responseObserver) {
        // With a cancel handler set, answering a call the client has given up on is a no-op instead of an exception.
        if (responseObserver instanceof ServerCallStreamObserver<ModelInferResponse> serverObserver) {
            serverObserver.setOnCancelHandler(() -> { });
        }
        Context context = Context.current();
        try {
            List<String> texts = checkedTexts(request);
            runner.submit(texts, requestedPlan(request), context::isCancelled)
                    .whenComplete((result, failure) -> {
                        if (failure != null) {
                            responseObserver.onError(toStatus(failure, context, model.name()).asRuntimeException());
                        } else {
                            respond(request, result, responseObserver, context);
                        }
                    });
        } catch (RuntimeException e) {
            responseObserver.onError(toStatus(e, context, model.name()).asRuntimeException());
        }
    }

    private List<String> checkedTexts(ModelInferRequest request) {
        if (!model.name().equals(request.getModelName())) {
            throw new ModelNotFoundException(request.getModelName());
        }
        if (!request.getModelVersion().isEmpty() && !model.version().equals(request.getModelVersion())) {
            throw new ModelNotFoundException(request.getModelName() + "' version '" + request.getModelVersion());
        }
        InferRequestValidator.validate(request, model.metadata(), model.maxBatchSize());
        return Tensors.strings(request, 0);
    }

    /** The node's default plan with whatever the request's parameters choose instead. */
    private Plan requestedPlan(ModelInferRequest request) {
        Plan plan = runner.defaultPlan();
        String batching = stringParameter(request, BATCHING, "'none' or 'dynamic(8,2000)'");
        String precision = stringParameter(request, PRECISION, "'fp32' or 'int8'");
        try {
            if (batching != null) {
                plan = plan.withBatching(Batching.parse(batching));
            }
            if (precision != null) {
                plan = plan.withPrecision(Precision.parse(precision));
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("parameter '" + (batching != null && precision == null ? BATCHING
                    : precision != null && batching == null ? PRECISION : BATCHING + "' or '" + PRECISION)
                    + "': " + e.getMessage());
        }
        return plan;
    }

    /** A string parameter's value, or null when the request does not have it. */
    private static String stringParameter(ModelInferRequest request, String name, String example) {
        InferParameter parameter = request.getParametersMap().get(name);
        if (parameter == null) {
            return null;
        }
        if (parameter.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.STRING_PARAM) {
            throw new InvalidRequestException("parameter '" + name + "' must be a string_param such as " + example
                    + ", was " + parameter.getParameterChoiceCase().name().toLowerCase());
        }
        return parameter.getStringParam();
    }

    private void respond(ModelInferRequest request, InferenceRunner.Result result,
                         StreamObserver<ModelInferResponse> responseObserver, Context context) {
        ModelInferResponse response;
        try {
            Embeddings embeddings = result.embeddings();
            response = ModelInferResponse.newBuilder()
                    .setModelName(model.name())
                    .setModelVersion(model.version())
                    .setId(request.getId())
                    .putParameters(PROMPT_TOKENS, InferParameter.newBuilder()
                            .setInt64Param(embeddings.totalTokens()).build())
                    .putParameters(NODE_ID, InferParameter.newBuilder().setStringParam(nodeId).build())
                    .putParameters(BATCHING, InferParameter.newBuilder()
                            .setStringParam(result.batching().toString()).build())
                    .putParameters(PRECISION, InferParameter.newBuilder()
                            .setStringParam(result.plan().precision().toString()).build())
                    .putParameters(BATCH_ROWS, InferParameter.newBuilder().setInt64Param(result.batchRows()).build())
                    .addOutputs(InferOutputTensor.newBuilder()
                            .setName(EmbeddingModel.OUTPUT)
                            .setDatatype("FP32")
                            .addShape(embeddings.size())
                            .addShape(model.dimension()))
                    .addRawOutputContents(Tensors.rawFloats(embeddings.flatten()))
                    .build();
        } catch (RuntimeException e) {
            responseObserver.onError(toStatus(e, context, model.name()).asRuntimeException());
            return;
        }
        responseObserver.onNext(response);
        responseObserver.onCompleted();
    }

    /** The one place this node's failures become gRPC statuses. */
    Status toStatus(Throwable failure, Context context, String modelName) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof InvalidRequestException) {
            return Status.INVALID_ARGUMENT.withDescription(cause.getMessage());
        }
        if (cause instanceof ModelNotFoundException) {
            return Status.NOT_FOUND.withDescription(cause.getMessage());
        }
        if (cause instanceof QueueFullException overloaded) {
            return Status.RESOURCE_EXHAUSTED.withDescription(
                    "node " + nodeId + " queue is full (capacity " + overloaded.queueCapacity() + ")");
        }
        if (cause instanceof BatcherClosedException) {
            return Status.UNAVAILABLE.withDescription("node " + nodeId + " is shutting down");
        }
        if (cause instanceof GeneratorClosedException) {
            // nothing was generated: UNAVAILABLE lets the gateway try another node
            return Status.UNAVAILABLE.withDescription("node " + nodeId + " is shutting down: its generator stopped");
        }
        if (cause instanceof CancelledBeforeStartException) {
            Deadline deadline = context.getDeadline();
            return deadline != null && deadline.isExpired()
                    ? Status.DEADLINE_EXCEEDED.withDescription("deadline passed before node " + nodeId + " started")
                    : Status.CANCELLED.withDescription("call cancelled before node " + nodeId + " started");
        }
        LOG.log(Level.WARNING, "inference failed on node " + nodeId, cause);
        return Status.INTERNAL.withDescription("node " + nodeId + " failed to run model '" + modelName + "': "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
}
