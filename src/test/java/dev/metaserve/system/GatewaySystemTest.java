package dev.metaserve.system;

import static dev.metaserve.system.Clients.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.metaserve.api.Tensors;
import dev.metaserve.api.inference.GRPCInferenceServiceGrpc;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.inference.ModelMetadataRequest;
import dev.metaserve.api.inference.ServerReadyRequest;
import dev.metaserve.launcher.LocalCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The gateway and two node processes, driven over REST and gRPC as a client would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewaySystemTest {
    static final List<String> SENTENCES = List.of(
            "It is a truth universally acknowledged that a single man in possession of a good fortune must be in want of a wife.",
            "In the beginning God created the heaven and the earth.",
            "The cat sat on the mat.",
            "Stock markets fell sharply on Tuesday after the central bank raised interest rates.",
            "How do I reset my password?",
            "A quick brown fox jumps over the lazy dog near the riverbank at dawn.",
            "Emma Woodhouse, handsome, clever, and rich, with a comfortable home and happy disposition.",
            "ok");

    LocalCluster cluster;
    ReferenceEncoder reference;
    ManagedChannel channel;
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc;

    @BeforeAll
    void start() throws Exception {
        Path root = Path.of(System.getProperty("metaserve.root", "../..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(LocalCluster.Options.defaults(root)
                .withLogDir(root.resolve("src/test/target/cluster-logs/" + getClass().getSimpleName())));
        reference = new ReferenceEncoder();
        channel = ManagedChannelBuilder.forTarget(cluster.grpcTarget()).usePlaintext().build();
        grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (reference != null) {
            reference.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void openAiEmbeddingsMatchDirectOnnxRuntime() throws Exception {
        var reply = Clients.post(cluster.httpUri(), "/v1/embeddings",
                Clients.JSON.writeValueAsString(Map.of("model", MODEL, "input", SENTENCES)));

        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        JsonNode data = reply.body().get("data");
        assertThat(data).hasSize(SENTENCES.size());
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertThat(data.get(i).get("index").asInt()).isEqualTo(i);
            float[] got = Clients.floats(data.get(i).get("embedding"));
            assertThat(ReferenceEncoder.cosine(got, reference.embed(SENTENCES.get(i))))
                    .as("cosine to direct ONNX Runtime for: %s", SENTENCES.get(i))
                    .isGreaterThan(0.9999);
        }
        assertThat(reply.body().get("usage").get("prompt_tokens").asInt()).isGreaterThan(SENTENCES.size() * 2);
    }

    @Test
    void singleStringInputGivesOneEmbedding() throws Exception {
        var reply = Clients.post(cluster.httpUri(), "/v1/embeddings",
                "{\"model\":\"" + MODEL + "\",\"input\":\"The cat sat on the mat.\"}");

        assertThat(reply.status()).isEqualTo(200);
        float[] got = Clients.floats(reply.body().get("data").get(0).get("embedding"));
        assertThat(ReferenceEncoder.cosine(got, reference.embed("The cat sat on the mat."))).isGreaterThan(0.9999);
        // [CLS] the cat sat on the mat . [SEP]
        assertThat(reply.body().get("usage").get("prompt_tokens").asInt()).isEqualTo(9);
    }

    @Test
    void kserveRestInferMatchesDirectOnnxRuntime() throws Exception {
        var reply = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer", Clients.v2Request(SENTENCES));

        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        JsonNode output = reply.body().get("outputs").get(0);
        assertThat(output.get("name").asText()).isEqualTo("embedding");
        assertThat(output.get("datatype").asText()).isEqualTo("FP32");
        assertThat(output.get("shape").get(0).asInt()).isEqualTo(SENTENCES.size());
        int dim = output.get("shape").get(1).asInt();
        float[] flat = Clients.floats(output.get("data"));
        for (int i = 0; i < SENTENCES.size(); i++) {
            float[] row = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
            assertThat(ReferenceEncoder.cosine(row, reference.embed(SENTENCES.get(i)))).isGreaterThan(0.9999);
        }
    }

    @Test
    void kserveGrpcInferMatchesDirectOnnxRuntimeWithTypedAndRawContents() throws Exception {
        ModelInferRequest typed = Clients.grpcRequest(SENTENCES);
        ModelInferRequest raw = typed.toBuilder()
                .setInputs(0, typed.getInputs(0).toBuilder().clearContents())
                .addRawInputContents(Tensors.lengthPrefixed(SENTENCES))
                .build();

        for (ModelInferRequest request : List.of(typed, raw)) {
            ModelInferResponse response = grpc.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(request);
            float[] flat = Tensors.floats(response.getOutputs(0).getContents(), response.getRawOutputContents(0));
            int dim = (int) response.getOutputs(0).getShape(1);
            for (int i = 0; i < SENTENCES.size(); i++) {
                float[] row = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                assertThat(ReferenceEncoder.cosine(row, reference.embed(SENTENCES.get(i)))).isGreaterThan(0.9999);
            }
        }
    }

    @Test
    void int8PrecisionRunsTheQuantizedTwinThroughTheGateway() throws Exception {
        String text = SENTENCES.get(0);
        String body = Clients.JSON.writeValueAsString(Map.of("parameters", Map.of("precision", "int8"),
                "inputs", List.of(Map.of("name", "text", "shape", List.of(1), "datatype", "BYTES", "data", List.of(text)))));
        var reply = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer", body);

        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(reply.body().get("parameters").get("precision").asText()).isEqualTo("int8");
        double cosine = ReferenceEncoder.cosine(Clients.floats(reply.body().get("outputs").get(0).get("data")),
                reference.embed(text));
        assertThat(cosine).isGreaterThan(0.95).isLessThan(0.99999);
    }

    @Test
    void grpcMetadataAndReadinessDescribeTheModel() {
        assertThat(grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        var metadata = grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build());
        assertThat(metadata.getInputs(0).getName()).isEqualTo("text");
        assertThat(metadata.getOutputs(0).getShapeList()).containsExactly(-1L, 384L);

        var unknown = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                () -> grpc.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(unknown.getStatus().getDescription()).contains("nope");
    }

    @Test
    void twoNodesShareTheLoad() throws Exception {
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            // a named plan: routed least-loaded (a request without one goes where the selector expects it fastest)
            var reply = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer",
                    BatchingSystemTest.request(SENTENCES.get(i % SENTENCES.size()), "none"));
            assertThat(reply.status()).isEqualTo(200);
            perNode.merge(reply.body().get("parameters").get("node_id").asText(), 1, Integer::sum);
        }
        assertThat(perNode).hasSize(2);
        assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(10));
    }

    @Test
    void badRequestsGetClearErrorsAndTheProductKeepsServing() throws Exception {
        String infer = "/v2/models/" + MODEL + "/infer";
        List<Object[]> cases = new ArrayList<>(List.of(
                new Object[] {infer, "{not json", 400, "malformed JSON"},
                new Object[] {"/v2/models/no-such-model/infer", Clients.v2Request(List.of("x")), 404, "no-such-model"},
                new Object[] {infer, "{\"inputs\":[{\"name\":\"words\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}", 400, "unknown input 'words'"},
                new Object[] {infer, "{\"inputs\":[{\"name\":\"text\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}", 400, "rank"},
                new Object[] {infer, "{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.0]}]}", 400, "datatype"},
                new Object[] {infer, "{\"inputs\":[{\"name\":\"text\",\"shape\":[3],\"datatype\":\"BYTES\",\"data\":[\"x\"]}]}", 400, "needs 3"},
                new Object[] {infer, "{\"inputs\":[{\"name\":\"text\",\"shape\":[0],\"datatype\":\"BYTES\",\"data\":[]}]}", 400, "empty"},
                new Object[] {infer, "{\"inputs\":[]}", 400, "no inputs"},
                new Object[] {infer, "{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"x\"]},"
                        + "{\"name\":\"extra\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"y\"]}]}", 400, "too many inputs"},
                new Object[] {"/v1/embeddings", "{\"model\":\"" + MODEL + "\"}", 400, "'input' is required"},
                new Object[] {infer, "{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\""
                        + "x".repeat(5 * 1024 * 1024) + "\"]}]}", 413, "over the limit"}));
        for (Object[] c : cases) {
            var reply = Clients.post(cluster.httpUri(), (String) c[0], (String) c[1]);
            assertThat(reply.status()).as("%s %.80s", c[0], c[1]).isEqualTo((int) c[2]);
            assertThat(reply.body().get("error").asText()).as("%s %.80s", c[0], c[1]).contains((String) c[3]);
        }

        var good = Clients.post(cluster.httpUri(), infer, Clients.v2Request(List.of("still here")));
        assertThat(good.status()).isEqualTo(200);
        assertThat(cluster.nodes()).allSatisfy(n -> assertThat(n.process().isAlive()).isTrue());
        assertThat(cluster.gateway().isAlive()).isTrue();
    }

    @Test
    void metricsCountRequestsByEndpointModelAndStatusAndShowNodes() throws Exception {
        Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer", Clients.v2Request(List.of("counted")));
        Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer", "{\"inputs\":[]}");

        String metrics = Clients.get(cluster.httpUri(), "/q/metrics").raw();
        assertThat(metrics)
                .contains("gateway_requests_seconds_count{endpoint=\"v2.rest.infer\",model=\"" + MODEL + "\",status=\"200\"}")
                .contains("gateway_requests_seconds_count{endpoint=\"v2.rest.infer\",model=\"" + MODEL + "\",status=\"400\"}")
                .contains("gateway_requests_seconds_bucket{endpoint=\"v2.rest.infer\"")
                .contains("gateway_nodes_live_nodes 2.0")
                .contains("gateway_node_in_flight{node=\"node-1\"}")
                .contains("gateway_node_in_flight{node=\"node-2\"}");
        assertThat(Clients.get(cluster.httpUri(), "/q/health/ready").status()).isEqualTo(200);
    }
}
