package dev.metaserve.nodes.generation;

import dev.metaserve.accelerators.generation.FinishReason;
import dev.metaserve.accelerators.generation.GenerationStats;
import dev.metaserve.accelerators.generation.GeneratorClosedException;
import dev.metaserve.accelerators.generation.TokenSink;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.generate.Usage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;

/**
 * One job's tokens on their way to the caller: each step's tokens become a chunk with the text that may be shown so
 * far ({@link CompletionText}); a stop sequence ends the job; the end becomes the last chunk, with finish reason,
 * usage, node id and plan. Called by the engine's decoding thread only, so sends never overlap; it must not block,
 * and gRPC's {@code onNext} does not.
 */
final class GenerationStream implements TokenSink {
    private final GenerationRequest request;
    private final CompletionText text;
    private final StreamObserver<GenerateResponse> observer;
    private final String nodeId;
    private final GenerationMetrics metrics;
    private final Consumer<Status> ended;
    /** Tokens sent to the caller so far: the engine's, less any after a stop sequence. */
    private int completionTokens;

    /** @param ended told when the job has ended, with OK or the failure sent (even if sending it threw) */
    GenerationStream(GenerationRequest request, CompletionText text, StreamObserver<GenerateResponse> observer,
                     String nodeId, GenerationMetrics metrics, Consumer<Status> ended) {
        this.request = request;
        this.text = text;
        this.observer = observer;
        this.nodeId = nodeId;
        this.metrics = metrics;
        this.ended = ended;
    }

    @Override
    public boolean onTokens(int[] tokens) {
        if (text.stopped()) {
            return false;
        }
        CompletionText.Appended appended = text.append(tokens);
        // tokens after the one that completed a stop sequence are dropped: neither sent nor counted
        GenerateResponse.Builder chunk = GenerateResponse.newBuilder().setText(appended.text());
        for (int i = 0; i < appended.tokens(); i++) {
            chunk.addTokenIds(tokens[i]);
        }
        completionTokens += appended.tokens();
        observer.onNext(chunk.build());
        return !text.stopped();
    }

    @Override
    public void onFinished(FinishReason reason, GenerationStats stats) {
        Status status = Status.OK;
        try {
            String rest = text.finish(); // first: the end of the text may itself complete a stop sequence
            FinishReason finish = text.stopped() ? FinishReason.STOP : reason;
            // the engine counts every token it handed over; usage counts those used, which is the same whatever the
            // decoding (a speculative step may deliver tokens past a stop sequence)
            GenerationStats used = new GenerationStats(stats.promptTokens(), completionTokens, stats.proposedTokens(),
                    stats.acceptedTokens(), stats.targetPasses());
            observer.onNext(GenerateResponse.newBuilder()
                    .setText(rest)
                    .setFinishReason(finish.wireName())
                    .setUsage(Usage.newBuilder()
                            .setPromptTokens(used.promptTokens())
                            .setCompletionTokens(used.generatedTokens())
                            .setProposedTokens(used.proposedTokens())
                            .setAcceptedTokens(used.acceptedTokens())
                            .setTargetPasses(used.targetPasses()))
                    .setNodeId(nodeId)
                    .setPlan(request.planText())
                    .build());
            // counted before the call ends, so whoever sees the end also sees the counts
            metrics.record(request.decoding(), used);
            observer.onCompleted();
        } catch (RuntimeException e) {
            status = Status.INTERNAL.withCause(e);
            throw e;
        } finally {
            ended.accept(status);
        }
    }

    @Override
    public void onError(Throwable error) {
        Status status = error instanceof GeneratorClosedException
                ? Status.UNAVAILABLE.withDescription("node " + nodeId + " is shutting down: its generator stopped")
                : Status.INTERNAL.withDescription("node " + nodeId + " failed while generating: "
                        + error.getClass().getSimpleName()
                        + (error.getMessage() == null ? "" : ": " + error.getMessage()));
        try {
            observer.onError(status.asRuntimeException());
        } finally {
            ended.accept(status);
        }
    }
}
