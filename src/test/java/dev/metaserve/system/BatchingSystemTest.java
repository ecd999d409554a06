package dev.metaserve.system;

import static dev.metaserve.system.Clients.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.metaserve.launcher.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Batching switched per request through the gateway, and a node whose queue overflows: one node
 * with a queue of two, so that both behaviours show with few requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchingSystemTest {
    LocalCluster cluster;
    ReferenceEncoder reference;

    @BeforeAll
    void start() throws Exception {
        Path root = Path.of(System.getProperty("metaserve.root", "../..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(LocalCluster.Options.defaults(root)
                .withNodes(1)
                .withNodeArgs(List.of("--queue-capacity", "2", "--workers", "1"))
                .withLogDir(root.resolve("src/test/target/cluster-logs/" + getClass().getSimpleName())));
        reference = new ReferenceEncoder();
    }

    @AfterAll
    void stop() throws Exception {
        if (reference != null) {
            reference.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static String request(String text, String batching) throws Exception {
        return Clients.JSON.writeValueAsString(Map.of("parameters", Map.of("batching", batching),
                "inputs", List.of(Map.of("name", "text", "shape", List.of(1), "datatype", "BYTES", "data", List.of(text)))));
    }

    @Test
    void batchedRequestsGetTheirOwnEmbeddings() throws Exception {
        List<String> texts = List.of("Short one.", "A somewhat longer sentence about the weather in the hills today.",
                GatewaySystemTest.SENTENCES.get(0), "ok", GatewaySystemTest.SENTENCES.get(6));
        // a queue of two: send two at a time, many times, so that pairs share batches
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<Integer, Integer> batchRows = new ConcurrentHashMap<>();
        try {
            for (int round = 0; round < 6; round++) {
                List<Future<JsonNode>> replies = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String text = texts.get((round * 2 + i) % texts.size());
                    replies.add(pool.submit((Callable<JsonNode>) () -> {
                        var reply = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer",
                                request(text, "dynamic(8,50000)"));
                        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
                        float[] got = Clients.floats(reply.body().get("outputs").get(0).get("data"));
                        assertThat(ReferenceEncoder.cosine(got, reference.embed(text))).as(text).isGreaterThan(0.9999);
                        return reply.body();
                    }));
                }
                for (Future<JsonNode> reply : replies) {
                    JsonNode parameters = reply.get(60, TimeUnit.SECONDS).get("parameters");
                    assertThat(parameters.get("batching").asText()).isEqualTo("dynamic(8,50000)");
                    batchRows.merge(parameters.get("batch_rows").asInt(), 1, Integer::sum);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(batchRows.keySet()).as("rows per batch seen").contains(2);
    }

    @Test
    void aBadBatchingParameterIs400() throws Exception {
        var reply = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer", request("x", "dynamic(0,10)"));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("error").asText()).contains("dynamic(0,10)");
    }

    @Test
    void overflowIsAClear429AndAcceptedWorkIsAnswered() throws Exception {
        int clients = 24;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> overloadMessages = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String text = GatewaySystemTest.SENTENCES.get(0) + " " + i;
                calls.add(pool.submit(() -> {
                    var reply = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer", request(text, "none"));
                    statuses.merge(reply.status(), 1, Integer::sum);
                    if (reply.status() == 429) {
                        overloadMessages.add(reply.body().get("error").asText());
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses.keySet()).as("statuses %s", statuses).containsOnly(200, 429);
        assertThat(statuses.get(429)).isPositive();
        assertThat(statuses.get(200)).isPositive();
        assertThat(overloadMessages).allSatisfy(m -> assertThat(m).contains("queue is full"));

        var after = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer", request("still serving", "none"));
        assertThat(after.status()).isEqualTo(200);
    }
}
