package dev.metaserve.nodes;

import static dev.metaserve.nodes.InferRequests.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
import dev.metaserve.models.Embeddings;
import dev.metaserve.models.ModelSpec;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queueing, refusal, cancellation and failure, with a stand-in embedder that blocks until released, one worker and a
 * queue of one.
 */
class NodeOverloadTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger embedCalls = new AtomicInteger();
    private final AtomicInteger cancelledCalls = new AtomicInteger();
    private volatile RuntimeException failure;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private InferenceRunner runner;
    private NodeServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        TextEmbedder blocking = texts -> {
            embedCalls.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            return fixed(texts);
        };
        EmbeddingModel model = EmbeddingModel.of(ModelSpec.ALL_MINILM_L6_V2, 384, 8, blocking);
        runner = new InferenceRunner(blocking, Batching.NONE, 1, 1, new NodeMetrics(meters));
        String name = InProcessServerBuilder.generateName();
        // Counts calls whose server-side context was cancelled (deadline passed or client gone).
        ServerInterceptor cancellations = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                Context.current().addListener(context -> cancelledCalls.incrementAndGet(), Runnable::run);
                return next.startCall(call, headers);
            }
        };
        server = new NodeServer(InProcessServerBuilder.forName(name).intercept(cancellations),
                new NodeInferenceService("node-busy", model, runner)).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        channel.shutdownNow();
        server.shutdown();
        server.awaitTermination(Duration.ofSeconds(2));
        runner.shutdownNow();
    }

    private static Embeddings fixed(List<String> texts) {
        float[][] vectors = new float[texts.size()][384];
        int[] counts = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            vectors[i][0] = 1;
            counts[i] = 3;
        }
        return new Embeddings(vectors, counts);
    }

    private NodeInferenceGrpc.NodeInferenceFutureStub async() {
        return NodeInferenceGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private NodeInferenceGrpc.NodeInferenceBlockingStub blocking() {
        return NodeInferenceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void aFullQueueRefusesWithResourceExhaustedAndAcceptedWorkStillCompletes() throws Exception {
        Future<ModelInferResponse> running = async().infer(texts("one"));
        Poll.until("first request running", () -> embedCalls.get() == 1);
        Future<ModelInferResponse> queued = async().infer(texts("two"));
        Poll.until("second request queued", () -> runner.queueDepth() == 1);

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> blocking().infer(texts("three")));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(refused.getStatus().getDescription()).isEqualTo("node node-busy queue is full (capacity 1)");
        assertThat(runner.load().getInFlight()).isEqualTo(2);
        assertThat(runner.load().getQueueDepth()).isEqualTo(1);
        assertThat(meters.get(NodeMetrics.REJECTED).tag("reason", "queue_full").counter().count()).isEqualTo(1);
        assertThat(meters.get(NodeMetrics.QUEUE_DEPTH).gauge().value()).isEqualTo(1);

        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS).getParametersMap().get("prompt_tokens").getInt64Param())
                .isEqualTo(3);
        assertThat(queued.get(10, TimeUnit.SECONDS).getOutputs(0).getShapeList()).containsExactly(1L, 384L);
        Poll.until("nothing in flight", () -> runner.load().getInFlight() == 0);
        assertThat(runner.load().getCompleted()).isEqualTo(2);
    }

    @Test
    void workWhoseDeadlinePassedWhileQueuedIsNotComputed() throws Exception {
        Future<ModelInferResponse> running = async().infer(texts("one"));
        Poll.until("first request running", () -> embedCalls.get() == 1);
        Future<ModelInferResponse> expiring = NodeInferenceGrpc.newFutureStub(channel)
                .withDeadlineAfter(200, TimeUnit.MILLISECONDS).infer(texts("late"));
        ExecutionException late = catchThrowableOfType(ExecutionException.class,
                () -> expiring.get(10, TimeUnit.SECONDS));
        assertThat(Status.fromThrowable(late.getCause()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        Poll.until("the server saw the call end", () -> cancelledCalls.get() == 1);

        release.countDown();
        running.get(10, TimeUnit.SECONDS);
        Poll.until("queue drained", () -> runner.load().getInFlight() == 0);

        assertThat(embedCalls.get()).isEqualTo(1);
        assertThat(runner.load().getCompleted()).isEqualTo(1);
    }

    @Test
    void aShuttingDownNodeRefusesWithUnavailable() {
        runner.shutdown();

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> blocking().infer(texts("one")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).contains("node-busy is shutting down");
    }

    @Test
    void aFailingModelGivesInternalWithADescriptionNotARawException() {
        failure = new IllegalStateException("native library exploded");
        release.countDown();

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> blocking().infer(texts("one")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription())
                .contains("node-busy", "all-minilm-l6-v2", "native library exploded");
    }
}
