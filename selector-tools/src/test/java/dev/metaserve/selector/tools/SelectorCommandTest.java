package dev.metaserve.selector.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.model.SelectorModelFile;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Measurement;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.ObservationCsv;
import dev.metaserve.selector.store.Source;
import dev.metaserve.selector.store.TaskProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectorCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SelectorCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** Eight cells of an embedding model on two nodes; batching wins at high concurrency, int8 on long inputs. */
    private Path snapshot() throws Exception {
        List<HardwareProfile> nodes = List.of(new HardwareProfile("a", 2, 2, 0, 0, ""),
                new HardwareProfile("b", 1, 1, 0, 20, ""));
        List<Plan> plans = List.of(Plan.parse("batching=none,precision=fp32"), Plan.parse("batching=none,precision=int8"),
                Plan.parse("batching=dynamic(8,1000),precision=fp32"));
        List<Observation> observations = new ArrayList<>();
        for (int tokens : List.of(16, 128)) {
            for (int concurrency : List.of(1, 2, 8, 32)) {
                for (HardwareProfile node : nodes) {
                    for (Plan plan : plans) {
                        boolean int8 = plan.toString().contains("int8");
                        double compute = tokens * 0.05 * (int8 && tokens > 64 ? 0.6 : 1) / node.intraOpThreads();
                        double latency = node.networkDelayMs() + (plan.toString().contains("dynamic")
                                ? 3 + compute * Math.sqrt(concurrency) : 2 + compute * concurrency);
                        Measurement m = new Measurement(latency, latency, latency, concurrency * 1000 / latency, 0,
                                int8 ? 0.01 : 0, 50);
                        for (Objective objective : Objective.values()) {
                            TaskProfile task = new TaskProfile("encoder", TaskProfile.EMBEDDING, TaskProfile.PROSE,
                                    tokens, 0, 1, concurrency, objective, 0.02);
                            observations.add(Observation.of(task, plan, node, m, Instant.EPOCH, Source.SWEEP));
                        }
                    }
                }
            }
        }
        Path csv = dir.resolve("snapshot.csv");
        try (Writer w = Files.newBufferedWriter(csv)) {
            ObservationCsv.write(observations, w);
        }
        return csv;
    }

    @Test
    void trainWritesAModelThatLoads() throws Exception {
        Path model = dir.resolve("selector.model");
        int code = run("train", "--from", snapshot().toString(), "--out", model.toString(), "--text-components", "0");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote " + model).contains("decision time:");
        assertThat(SelectorModelFile.read(model).header().trainingObservations()).isEqualTo(96);
    }

    @Test
    void trainCombinesRepeatedSources() throws Exception {
        Path model = dir.resolve("selector.model");
        String snapshot = snapshot().toString();
        int code = run("train", "--from", snapshot, "--from", snapshot, "--out", model.toString(),
                "--text-components", "0");

        assertThat(code).as(err.toString()).isZero();
        assertThat(SelectorModelFile.read(model).header().trainingObservations()).isEqualTo(2 * 96);
    }

    @Test
    void evaluatePrintsTheTableAndWritesJson() throws Exception {
        Path json = dir.resolve("results/selector-evaluation.json");
        int code = run("evaluate", "--from", snapshot().toString(), "--out", json.toString(), "--text-components", "0",
                "--methods", "metainf,single-best,random", "--threads", "1");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("metainf").contains("single-best").contains("who wins");
        assertThat(Files.readString(json)).contains("\"method\" : \"metainf\"").contains("\"meanRegret\"")
                .contains("\"wins\"");
    }

    @Test
    void aMissingSourceIsOneLineAndExitCodeOne() {
        int code = run("evaluate", "--from", dir.resolve("nothing.csv").toString(), "--text-components", "0");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("selector evaluate: --from ").contains("is neither an existing");
    }

    @Test
    void anUnknownMethodIsRefused() throws Exception {
        int code = run("evaluate", "--from", snapshot().toString(), "--methods", "oracle", "--text-components", "0");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("unknown method 'oracle'");
    }
}
