package dev.metaserve.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPoolTest {
    private static final String PLAN = "batching=none,precision=int8";

    @TempDir
    Path dir;

    /** A selector-e2e result as the benchmark writes it, reduced to what pooling reads: one class, two modes. */
    private Path result(String file, String benchmark, String fixedMode, double[] selectorMs, double[] fixedMs)
            throws Exception {
        String json = """
                {"benchmark": "%s", "time": "2026-12-02T08:00:00Z", "classes": [{"name": "emb-short-x1-c1",
                 "phase": "embedding", "modes": [
                  {"mode": "selector", "rounds": %s},
                  {"mode": "%s", "rounds": %s}]}]}
                """.formatted(benchmark, rounds(selectorMs), fixedMode, rounds(fixedMs));
        Path path = dir.resolve(file);
        Files.writeString(path, json);
        return path;
    }

    private static String rounds(double[] meansMs) {
        StringBuilder out = new StringBuilder("[");
        for (double m : meansMs) {
            out.append(out.length() > 1 ? "," : "").append("{\"samples\": 50, \"meanMs\": ").append(m).append('}');
        }
        return out.append(']').toString();
    }

    @Test
    void runsArePooledRoundAfterRoundAndJudgedTogether() throws Exception {
        Path first = result("a.json", "selector-e2e", "fixed:" + PLAN, new double[] {10, 12}, new double[] {11, 11});
        Path second = result("b.json", "selector-e2e", "fixed:" + PLAN, new double[] {9}, new double[] {12});

        RunPool.Pooled pooled = RunPool.read(List.of(first, second));

        ClassRounds c = pooled.classes().get(0);
        assertThat(c.phase()).isEqualTo(Phase.EMBEDDING);
        assertThat(c.roundCount()).isEqualTo(3);
        assertThat(c.rounds().get(Mode.SELECTOR)).extracting(RoundTotal::totalMs).containsExactly(500.0, 600.0, 450.0);
        assertThat(c.rounds().get(Mode.fixed(PLAN))).extracting(RoundTotal::requests).containsExactly(50L, 50L, 50L);
        assertThat(pooled.sources()).extracting(s -> s.get("rounds")).containsExactly(2, 1);
        assertThat(pooled.roundsPerRun()).containsExactly(2, 1);

        Path out = dir.resolve("pooled.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RunPool.report(List.of(first, second), 500, 1, out, new PrintStream(printed, true, StandardCharsets.UTF_8));
        JsonNode verdict = new ObjectMapper().readTree(out.toFile()).path("verdict");
        // all rounds: selector 31 / 3, the fixed plan 34 / 3
        assertThat(verdict.path("classes").get(0).path("selectorToBestFixed").asDouble())
                .isCloseTo(31.0 / 34, within(1e-9));
        assertThat(verdict.path("classes").get(0).path("rounds").asInt()).isEqualTo(3);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("3 measured rounds of 2 runs")
                .contains("emb-short-x1-c1");
    }

    @Test
    void filesThatDoNotLineUpAreRefusedNamingTheProblem() throws Exception {
        Path first = result("a.json", "selector-e2e", "fixed:" + PLAN, new double[] {10}, new double[] {11});
        Path otherMode = result("b.json", "selector-e2e", "fixed:batching=none,precision=fp32", new double[] {10},
                new double[] {11});
        Path otherBenchmark = result("c.json", "batching", "fixed:" + PLAN, new double[] {10}, new double[] {11});
        Path unknownMode = result("d.json", "selector-e2e", "fastest", new double[] {10}, new double[] {11});
        Path ragged = result("e.json", "selector-e2e", "fixed:" + PLAN, new double[] {10, 10}, new double[] {11});

        assertThatThrownBy(() -> RunPool.read(List.of(first, otherMode)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not line up");
        assertThatThrownBy(() -> RunPool.read(List.of(first, otherBenchmark)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a selector-e2e result");
        assertThatThrownBy(() -> RunPool.read(List.of(unknownMode)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d.json")
                .hasMessageContaining("mode 'fastest'");
        // its modes' rounds would add up with another file's the other way round, and be misaligned
        assertThatThrownBy(() -> RunPool.read(List.of(ragged)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("e.json")
                .hasMessageContaining("has 1 rounds");
        ObjectMapper json = new ObjectMapper();
        ObjectNode doubled = (ObjectNode) json.readTree(first.toFile());
        ArrayNode classes = (ArrayNode) doubled.get("classes");
        classes.add(classes.get(0).deepCopy());
        Path classTwice = dir.resolve("f.json");
        json.writeValue(classTwice.toFile(), doubled);
        assertThatThrownBy(() -> RunPool.read(List.of(classTwice)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f.json")
                .hasMessageContaining("appears twice");
    }
}
