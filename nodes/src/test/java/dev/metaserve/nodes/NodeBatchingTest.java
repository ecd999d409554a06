package dev.metaserve.nodes;

import static dev.metaserve.nodes.InferRequests.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.api.inference.InferParameter;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
import dev.metaserve.models.Embeddings;
import dev.metaserve.models.ModelSpec;
import dev.metaserve.models.SentenceEncoder;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dynamic batching with the real model over in-process gRPC, and the node's /metrics endpoint. */
class NodeBatchingTest {
    private static final Batching DEFAULT = new Batching.Dynamic(16, 20_000);
    private static final String[] WORDS = ("the a cat dog sat on mat under bright sky river mountain quickly slowly"
            + " running jumped over lazy fox model serving gateway batch queue delay token vector embedding network"
            + " request answer question window green yellow seven hundred ocean").split(" ");

    private static SentenceEncoder encoder;
    private static InferenceRunner runner;
    private static NodeServer server;
    private static MetricsEndpoint metrics;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        encoder = SentenceEncoder.load(1);
        EmbeddingModel model = EmbeddingModel.of(ModelSpec.ALL_MINILM_L6_V2, encoder.dimension(), 8, encoder::encode);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        runner = new InferenceRunner(model.embedder(), DEFAULT, 1, 256, new NodeMetrics(registry));
        metrics = MetricsEndpoint.start(0, registry);
        String name = InProcessServerBuilder.generateName();
        server = new NodeServer(InProcessServerBuilder.forName(name),
                new NodeInferenceService("node-batch", model, runner)).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow();
        server.shutdown();
        server.awaitTermination(Duration.ofSeconds(2));
        runner.shutdownNow();
        metrics.close();
        encoder.close();
    }

    private static NodeInferenceGrpc.NodeInferenceBlockingStub blocking() {
        return NodeInferenceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static String sentence(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static ModelInferRequest withBatching(ModelInferRequest request, String batching) {
        return request.toBuilder()
                .putParameters(NodeInferenceService.BATCHING, InferParameter.newBuilder().setStringParam(batching).build())
                .build();
    }

    private static long int64(ModelInferResponse response, String parameter) {
        return response.getParametersMap().get(parameter).getInt64Param();
    }

    @Test
    void eachBatchedResponseEqualsItsUnbatchedResultWhateverLengthsShareTheBatch() throws Exception {
        Random random = new Random(42);
        List<List<String>> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<String> texts = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int t = 0; t < count; t++) {
                // very short and long texts mixed: 1 to 120 words
                texts.add(sentence(random, random.nextBoolean() ? 1 + random.nextInt(4) : 1 + random.nextInt(120)));
            }
            requests.add(texts);
        }
        NodeInferenceGrpc.NodeInferenceFutureStub async = NodeInferenceGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        List<Future<ModelInferResponse>> answers = new ArrayList<>();
        for (List<String> texts : requests) {
            answers.add(async.infer(texts(texts.toArray(String[]::new))));
        }

        boolean batched = false;
        for (int i = 0; i < requests.size(); i++) {
            ModelInferResponse response = answers.get(i).get(60, TimeUnit.SECONDS);
            Embeddings alone = encoder.encode(requests.get(i));
            float[][] vectors = InferRequests.vectors(response);
            assertThat(vectors.length).isEqualTo(requests.get(i).size());
            for (int row = 0; row < vectors.length; row++) {
                assertThat(maxAbsDifference(vectors[row], alone.vectors()[row])).as("request %d row %d", i, row)
                        .isLessThanOrEqualTo(1e-4);
            }
            assertThat(int64(response, NodeInferenceService.PROMPT_TOKENS)).isEqualTo(alone.totalTokens());
            assertThat(response.getParametersMap().get(NodeInferenceService.BATCHING).getStringParam())
                    .isEqualTo("dynamic(16,20000)");
            long batchRows = int64(response, NodeInferenceService.BATCH_ROWS);
            assertThat(batchRows).isBetween((long) vectors.length, 16L);
            batched |= batchRows > vectors.length;
        }
        assertThat(batched).as("some request shared its batch").isTrue();
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void aRequestAskingForNoBatchingRunsAloneUnderADynamicDefault() {
        ModelInferResponse response = blocking().infer(withBatching(texts("one", "two", "three"), "none"));

        assertThat(response.getParametersMap().get(NodeInferenceService.BATCHING).getStringParam()).isEqualTo("none");
        assertThat(int64(response, NodeInferenceService.BATCH_ROWS)).isEqualTo(3);
    }

    @Test
    void aBadBatchingParameterIsInvalidArgumentWithTheParsersMessage() {
        StatusRuntimeException bad = catchThrowableOfType(StatusRuntimeException.class,
                () -> blocking().infer(withBatching(texts("a"), "dynamic(0,5)")));
        assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(bad.getStatus().getDescription()).contains("batching 'dynamic(0,5)'", "max batch size");

        StatusRuntimeException wrongType = catchThrowableOfType(StatusRuntimeException.class,
                () -> blocking().infer(texts("a").toBuilder().putParameters(NodeInferenceService.BATCHING,
                        InferParameter.newBuilder().setInt64Param(8).build()).build()));
        assertThat(wrongType.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(wrongType.getStatus().getDescription()).contains("must be a string_param");
    }

    @Test
    void metricsEndpointServesBatchSizeQueueDelayDepthAndRejections() throws Exception {
        blocking().infer(texts("counted in the metrics"));

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("node_batch_size_rows_bucket{batching=\"dynamic(16,20000)\"")
                .contains("node_batch_size_rows_count{batching=\"dynamic(16,20000)\",precision=\"fp32\"}")
                .contains("node_queue_delay_seconds_bucket{batching=\"dynamic(16,20000)\"")
                .contains("node_queue_delay_seconds_count{batching=\"dynamic(16,20000)\",precision=\"fp32\"}")
                .contains("# HELP node_queue_depth")
                .containsPattern("(?m)^node_queue_depth \\d")
                .containsPattern("(?m)^node_rejected_total\\{reason=\"queue_full\"} \\d");
    }
}
