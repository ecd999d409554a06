package dev.metaserve.gateway;

import static dev.metaserve.gateway.GatewayTestSupport.MODEL;
import static dev.metaserve.gateway.GatewayTestSupport.v2Text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.metaserve.selector.learn.BoostingSettings;
import dev.metaserve.selector.learn.MetaLearnerSettings;
import dev.metaserve.selector.model.SelectorModel;
import dev.metaserve.selector.model.SelectorModelFile;
import dev.metaserve.selector.model.SelectorTraining;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.store.ObservationCsv;
import dev.metaserve.selector.store.Observation;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A retrained model put in the watched file is in service within seconds, without a request failing meanwhile; a
 * corrupt or truncated one is refused with a clear error and the model in service keeps serving.
 */
@QuarkusTest
@WithTestResource(InProcessNode.class)
@TestProfile(SelectorModelReloadTest.WatchedModelFile.class)
class SelectorModelReloadTest {
    static final Path FILE = Path.of("target/selector-reload/model.bin").toAbsolutePath();

    /** Starts the gateway on a copy of the bundled model in {@link #FILE}, checked every 200 ms. */
    public static class WatchedModelFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try (InputStream bundled = SelectorModelFile.class.getResourceAsStream(SelectorModelFile.BUNDLED_RESOURCE)) {
                Files.createDirectories(FILE.getParent());
                Files.copy(bundled, FILE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("gateway.selector.model-file", FILE.toString(),
                    "gateway.selector.reload-interval", "200ms");
        }
    }

    @BeforeEach
    void nodeJoined() throws InterruptedException {
        GatewayTestSupport.awaitNodes(1);
    }

    @Test
    void aRetrainedModelIsPickedUpLiveAndABrokenOneIsRefusedWhileTheCurrentKeepsServing() throws Exception {
        JsonPath start = status();
        String bundledId = start.getString("model.id");
        assertThat(start.getString("model.source")).isEqualTo(FILE.toString());
        assertThat(start.getString("lastReloadError")).isNull();

        try (Traffic traffic = new Traffic()) {
            SelectorModel retrained = retrain();
            String retrainedId = retrained.header().modelId();
            assertThat(retrainedId).isNotEqualTo(bundledId);
            Path next = FILE.resolveSibling("model.bin.next");
            SelectorModelFile.write(retrained, next);
            Files.move(next, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            JsonPath swapped = awaitStatus(s -> retrainedId.equals(s.getString("model.id")));
            assertThat(swapped.getString("policy.modelVersion")).isEqualTo(retrainedId);
            assertThat(swapped.getString("model.summary")).contains("gateway reload test");

            Files.write(next, "not a model at all".getBytes(StandardCharsets.UTF_8));
            Files.move(next, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            JsonPath refused = awaitStatus(s -> s.getString("lastReloadError") != null);
            assertThat(refused.getString("lastReloadError")).contains("is not a selector model");
            assertThat(refused.getString("model.id")).isEqualTo(retrainedId);

            SelectorModelFile.write(retrained, next);
            byte[] whole = Files.readAllBytes(next);
            Files.write(next, Arrays.copyOf(whole, whole.length - 100)); // cut short: its checksum cannot match
            Files.move(next, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            given().post("/admin/selector/reload").then().statusCode(422)
                    .body("outcome", equalTo("refused"))
                    .body("modelId", equalTo(retrainedId))
                    .body("message", containsString(FILE.toString()));
            assertThat(status().getString("model.id")).isEqualTo(retrainedId);

            traffic.stopAndCheck();
        }
    }

    private static JsonPath status() {
        return given().get("/admin/selector").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitStatus(Predicate<JsonPath> condition) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(30);
        JsonPath status = status();
        while (!condition.test(status) && Instant.now().isBefore(end)) {
            Thread.sleep(50);
            status = status();
        }
        assertThat(condition.test(status)).as("admin status reached the expected state: %s", status.prettify())
                .isTrue();
        return status;
    }

    /** A small model trained on the bundled sweep snapshot, as `selector train` would, with other settings. */
    private static SelectorModel retrain() throws IOException {
        List<Observation> observations;
        try (Reader in = new InputStreamReader(SelectorModelFile.class.getResourceAsStream(
                "/dev/metaserve/selector/sweep-snapshot.csv"), StandardCharsets.UTF_8)) {
            observations = ObservationCsv.read(in);
        }
        MetaLearnerSettings small = new MetaLearnerSettings(new BoostingSettings(30, 3, 0.1, 3, 0.8, 0.8, 1.0, 32), 1,
                2, 2.0, false, false);
        return SelectorTraining.train(Problems.from(observations), description -> new float[] {0f}, small, 0, 7,
                Instant.now(), "gateway reload test");
    }

    /** Requests sent one after another in the background, through the selector, until stopped; all must succeed. */
    private static final class Traffic implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile int answered;

        Traffic() {
            thread = new Thread(() -> {
                while (running.get()) {
                    int status = given().contentType(ContentType.JSON).body(v2Text("during a reload " + answered))
                            .post("/v2/models/" + MODEL + "/infer").then().extract().statusCode();
                    if (status == 200) {
                        answered++;
                    } else {
                        failures.add("HTTP " + status);
                    }
                }
            }, "reload-test-traffic");
            thread.start();
        }

        void stopAndCheck() throws InterruptedException {
            close();
            assertThat(failures).as("requests that failed during the reloads").isEmpty();
            assertThat(answered).isPositive();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }
}
