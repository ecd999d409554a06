package dev.metaserve.nodes.generation;

import dev.metaserve.accelerators.generation.Generator;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.ModelNotFoundException;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.node.ModelDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Starts generation calls: checks the request ({@link GenerationRequest}), submits the job to the model's engine with a
 * {@link GenerationStream} as its sink, and cancels the job when the caller goes away (cancel or deadline). Failures
 * before the job runs are thrown for the caller to turn into a status; later ones end the stream.
 */
public final class GenerationService {
    private final String nodeId;
    private final TextGenerationModel model;
    private final GenerationMetrics metrics;
    private final LongSupplier seeds;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** @param model the language model served, or null when the node serves none */
    public GenerationService(String nodeId, TextGenerationModel model, GenerationMetrics metrics, LongSupplier seeds) {
        this.nodeId = nodeId;
        this.model = model;
        this.metrics = metrics;
        this.seeds = seeds;
    }

    public GenerationService(String nodeId, TextGenerationModel model, GenerationMetrics metrics) {
        this(nodeId, model, metrics, () -> ThreadLocalRandom.current().nextLong());
    }

    /** How the node announces its language model, if it serves one. */
    public Optional<ModelDescriptor> descriptor() {
        return Optional.ofNullable(model).map(TextGenerationModel::descriptor);
    }

    /**
     * Runs one call. Must be called from the service method itself (it sets the call's cancel handler).
     *
     * @throws ModelNotFoundException                        the node serves no model of that name
     * @throws InvalidRequestException                       naming the field that is wrong, or what the engine refused
     * @throws dev.metaserve.accelerators.QueueFullException the engine has too many jobs waiting
     * @throws dev.metaserve.accelerators.generation.GeneratorClosedException
     *                                                       the engine is closed: the node is shutting down
     */
    public void start(GenerateRequest request, ServerCallStreamObserver<GenerateResponse> call) {
        if (model == null) {
            throw new ModelNotFoundException(request.getModel());
        }
        GenerationRequest checked = GenerationRequest.from(request, model, seeds);
        AtomicReference<Generator.Cancellable> job = new AtomicReference<>();
        AtomicInteger callState = new AtomicInteger(); // 0 running, 1 caller gone, 2 job ended
        call.setOnCancelHandler(() -> {
            if (callState.compareAndSet(0, 1)) {
                Generator.Cancellable running = job.get();
                if (running != null) {
                    running.cancel();
                }
                inFlight.decrementAndGet();
            }
        });
        GenerationStream stream = new GenerationStream(checked, new CompletionText(model.tokenizer(), checked.stops()),
                call, nodeId, metrics, status -> {
                    if (callState.compareAndSet(0, 2)) {
                        inFlight.decrementAndGet();
                    }
                });
        inFlight.incrementAndGet();
        try {
            job.set(model.generator().submit(checked.job(), stream));
        } catch (RuntimeException e) {
            // nothing was queued; count the call out unless the caller's cancel already did
            if (callState.getAndSet(2) == 0) {
                inFlight.decrementAndGet();
            }
            if (e instanceof IllegalArgumentException) {
                throw new InvalidRequestException("model '" + model.name() + "' cannot run this request: "
                        + e.getMessage());
            }
            throw e; // QueueFullException, GeneratorClosedException (the node is shutting down): see toStatus
        }
        if (callState.get() == 1) {
            job.get().cancel(); // the caller left while the job was being queued
        }
    }

    /** Generation calls accepted and not yet ended. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Jobs waiting to join the engine's running batch (0 without a language model, or an engine that cannot tell). */
    public int queueDepth() {
        return model == null ? 0 : model.queueDepth();
    }

    /** Waits until no generation call is running; false when {@code timeout} ran out first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Closes the model's engine; jobs still running end with an error. */
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
