package dev.metaserve.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.accelerators.Precision;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.ObservationCsv;
import dev.metaserve.selector.store.ObservationStore;
import dev.metaserve.selector.store.Source;
import dev.metaserve.selector.store.StoreLocation;
import dev.metaserve.selector.store.TaskProfile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The sweep on a tiny grid against a real node process (the built node program, the real models): the small grid on
 * the {@code far} profile (20 ms injected delay), with short windows.
 */
class SweepCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("metaserve.root", "..")).toAbsolutePath().normalize();

    private static String run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new SweepCommand()).execute(args);
            assertThat(exit).as("exit code; stderr:%n%s", captured.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTinySweepStoresEveryCellOncePerRoundUnderBothObjectivesAndTolerancesAndARerunSkipsThemAll(@TempDir Path dir)
            throws Exception {
        Path store = dir.resolve("data");
        String[] sweep = {"--root", ROOT.toString(), "--store", store.toString(), "--grid", "small",
                "--profiles", "far", "--rounds", "2", "--warmup-seconds", "0.1", "--measure-seconds", "0.3", "--min-requests", "3",
                "--log-dir", dir.resolve("logs").toString()};

        String progress = run(sweep);

        List<Observation> stored;
        try (ObservationStore history = ObservationStore.open(StoreLocation.embedded(store))) {
            stored = history.all();
        }
        assertThat(progress)
                .contains("sweep: 10 cells x 2 rounds = 20 measurements, 0 already in the store, 20 to measure")
                .contains("[20/20 ").contains("round 2: ").contains("node sweep-far ready");
        assertThat(progress.split("starting node", -1)).as("the node is started once for both rounds").hasSize(2);
        // 8 embedding + 2 generation cells, 2 rounds, each as LATENCY and THROUGHPUT under tolerances 0 and 0.02
        assertThat(stored).hasSize(80).allSatisfy(o -> {
            assertThat(o.source()).isEqualTo(Source.SWEEP);
            assertThat(o.hardware().nodeId()).isEqualTo("sweep-far");
            assertThat(o.hardware().networkDelayMs()).isEqualTo(20);
            assertThat(o.hardware().intraOpThreads()).isEqualTo(1);
            assertThat(o.hardware().memoryLimitMb()).isEqualTo(1024);
            assertThat(o.hardware().description()).contains("injected delay 20 ms");
            assertThat(o.measurement().latencyP50Ms()).isGreaterThanOrEqualTo(20);
            assertThat(o.measurement().throughputPerSecond()).isPositive();
        });
        assertThat(stored).extracting(o -> o.task().objective()).containsOnly(Objective.LATENCY, Objective.THROUGHPUT);
        assertThat(stored).extracting(o -> o.task().qualityTolerance()).containsOnly(0.0, 0.02);
        List<Observation> embeddings = stored.stream()
                .filter(o -> o.task().taskKind().equals(TaskProfile.EMBEDDING)).toList();
        assertThat(embeddings).hasSize(64).allSatisfy(o -> {
            assertThat(o.task().inputTokens()).isBetween(EmbeddingTexts.SHORT_MIN_TOKENS,
                    EmbeddingTexts.SHORT_MAX_TOKENS);
            if (o.plan().precision() == Precision.INT8) {
                assertThat(o.measurement().qualityDelta()).isBetween(0.001, 0.05);
            } else {
                assertThat(o.measurement().qualityDelta()).isZero();
            }
        });
        List<Observation> generations = stored.stream()
                .filter(o -> o.task().taskKind().equals(TaskProfile.TEXT_GENERATION)).toList();
        assertThat(generations).hasSize(16).allSatisfy(o -> {
            assertThat(o.task().outputTokens()).isEqualTo(16);
            assertThat(o.measurement().tokensPerSecond()).isPositive();
            assertThat(o.measurement().qualityDelta()).isBetween(0.0, 1.0);
        });

        String again = run(sweep);

        assertThat(stored.stream().collect(java.util.stream.Collectors.groupingBy(
                o -> List.of(o.task(), o.plan().toString()), java.util.stream.Collectors.counting())))
                .as("each cell under each key: one observation per round").hasSize(40).containsOnlyKeys(
                        stored.stream().map(o -> List.of(o.task(), o.plan().toString())).distinct().toList())
                .allSatisfy((key, count) -> assertThat(count).isEqualTo(2));

        assertThat(again).contains("all 10 cells x 2 rounds are in the store already; nothing to measure")
                .doesNotContain("starting node");
        try (ObservationStore history = ObservationStore.open(StoreLocation.embedded(store))) {
            assertThat(history.all()).isEqualTo(stored);
        }

        Path csv = dir.resolve("snapshot.csv");
        int exported = new CommandLine(new SweepCommand()).execute("export", "--store", store.toString(),
                "--out", csv.toString());
        assertThat(exported).isZero();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            assertThat(ObservationCsv.read(reader)).isEqualTo(stored);
        }
    }
}
