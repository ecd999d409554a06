package dev.metaserve.system;

import static dev.metaserve.system.Clients.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.launcher.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nodes and the gateway fail or restart while clients keep calling: no accepted request is lost. */
class NodeFailureSystemTest {
    LocalCluster cluster;

    @BeforeEach
    void start(org.junit.jupiter.api.TestInfo test) throws Exception {
        Path root = Path.of(System.getProperty("metaserve.root", "../..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(LocalCluster.Options.defaults(root)
                .withGatewayProps(List.of("gateway.lease-ttl=2s", "gateway.heartbeat-interval=500ms"))
                .withLogDir(root.resolve("src/test/target/cluster-logs/" + getClass().getSimpleName() + "/"
                        + test.getTestMethod().orElseThrow().getName())));
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void killingANodeDuringAStreamOfRequestsFailsNoRequest() throws Exception {
        int clients = 4;
        Instant end = Instant.now().plus(Duration.ofSeconds(8));
        Instant killAt = Instant.now().plus(Duration.ofSeconds(2));
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        Map<String, Integer> servedBy = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> streams = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                streams.add(pool.submit(() -> {
                    int i = 0;
                    while (Instant.now().isBefore(end)) {
                        String text = "client " + client + " sentence " + (i++) + " about the weather in the hills";
                        // a named plan, so both nodes take work (least-loaded) and the killed one has some in flight
                        var reply = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer",
                                BatchingSystemTest.request(text, "none"));
                        if (reply.status() == 200) {
                            ok.incrementAndGet();
                            servedBy.merge(reply.body().get("parameters").get("node_id").asText(), 1, Integer::sum);
                        } else {
                            failures.merge(reply.status() + " " + reply.raw(), 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            while (Instant.now().isBefore(killAt)) {
                Thread.sleep(50);
            }
            cluster.nodes().get(0).process().kill();
            for (Future<?> stream : streams) {
                stream.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(failures).as("failed requests").isEmpty();
        assertThat(ok.get()).isGreaterThan(20);
        assertThat(servedBy).containsKeys("node-1", "node-2");
        cluster.awaitNodes(1, Duration.ofSeconds(10));
        // requests were in flight on the killed node and were answered by the other one
        assertThat(Clients.get(cluster.httpUri(), "/q/metrics").raw()).containsPattern(
                "gateway_retries_total\\{reason=\"UNAVAILABLE\"\\} [1-9]");
    }

    @Test
    void nodesRegisterAgainAfterTheGatewayRestarts() throws Exception {
        cluster.restartGateway();

        cluster.awaitNodes(2, Duration.ofSeconds(30));
        var reply = Clients.post(cluster.httpUri(), "/v2/models/" + MODEL + "/infer",
                Clients.v2Request(List.of("after the restart")));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    }
}
