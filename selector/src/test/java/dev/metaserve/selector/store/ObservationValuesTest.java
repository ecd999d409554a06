package dev.metaserve.selector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.Plan;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ObservationValuesTest {

    @Test
    void taskProfileRefusesBadValuesNamingTheField() {
        assertThatThrownBy(() -> new TaskProfile(" ", "embedding", "prose", 8, 0, 1, 1, Objective.LATENCY, 0))
                .hasMessage("task profile: model must not be blank");
        assertThatThrownBy(() -> new TaskProfile("m", "Text Generation", "prose", 8, 0, 1, 1, Objective.LATENCY, 0))
                .hasMessageContaining("task kind 'Text Generation' must be lower-case words joined by hyphens");
        assertThatThrownBy(() -> new TaskProfile("m", "embedding", "prose", 0, 0, 1, 1, Objective.LATENCY, 0))
                .hasMessage("task profile: input tokens must be >= 1, was 0");
        assertThatThrownBy(() -> new TaskProfile("m", "embedding", "prose", 8, 3, 1, 1, Objective.LATENCY, 0))
                .hasMessage("task profile: an embedding generates no tokens, but output tokens was 3");
        assertThatThrownBy(() -> new TaskProfile("m", "text-generation", "prose", 8, 3, 1, 0, Objective.LATENCY, 0))
                .hasMessage("task profile: concurrency must be >= 1, was 0");
        assertThatThrownBy(() -> new TaskProfile("m", "text-generation", "prose", 8, 3, 1, 1, null, 0))
                .hasMessage("task profile: objective must not be null");
        assertThatThrownBy(() -> new TaskProfile("m", "text-generation", "prose", 8, 3, 1, 1, Objective.LATENCY, Double.NaN))
                .hasMessage("task profile: quality tolerance must be a finite number, was NaN");
    }

    @Test
    void hardwareProfileRefusesBadValuesNamingTheField() {
        assertThatThrownBy(() -> new HardwareProfile("", 1, 1, 0, 0, ""))
                .hasMessage("hardware profile: node id must not be blank");
        assertThatThrownBy(() -> new HardwareProfile("n", 0, 1, 0, 0, ""))
                .hasMessage("hardware profile: intra-op threads must be >= 1, was 0");
        assertThatThrownBy(() -> new HardwareProfile("n", 1, 1, -1, 0, ""))
                .hasMessage("hardware profile: memory limit (MiB) must be >= 0, was -1");
        assertThatThrownBy(() -> new HardwareProfile("n", 1, 1, 0, 0, "x".repeat(1001)))
                .hasMessage("hardware profile: description must be at most 1000 characters, was 1001");
        assertThat(new HardwareProfile("n", 1, 1, 0, 0, "").description()).isEmpty();
    }

    @Test
    void measurementRefusesNegativeOrUnorderedLatencies() {
        assertThatThrownBy(() -> new Measurement(-1, 2, 3, 1, 0, 0, 1))
                .hasMessage("measurement: latency p50 (ms) must be >= 0, was -1.0");
        assertThatThrownBy(() -> new Measurement(5, 6, 4, 1, 0, 0, 1))
                .hasMessage("measurement: latency p99 (4.0 ms) is below p90 (6.0 ms)");
        assertThatThrownBy(() -> new Measurement(5, 4, 6, 1, 0, 0, 1))
                .hasMessage("measurement: latency p90 (4.0 ms) is below p50 (5.0 ms)");
        assertThatThrownBy(() -> new Measurement(1, 2, 3, Double.POSITIVE_INFINITY, 0, 0, 1))
                .hasMessage("measurement: throughput (requests/s) must be a finite number, was Infinity");
        assertThatThrownBy(() -> new Measurement(1, 2, 3, 1, 0, 0, 0))
                .hasMessage("measurement: sample count must be >= 1, was 0");
        assertThat(new Measurement(1, 1, 1, 1, 0, -0.001, 1).qualityDelta()).isEqualTo(-0.001);
    }

    @Test
    void observationKeepsItsTimeToTheMicrosecond() {
        Observation o = Observation.of(Observations.embeddingTask(8), Plan.DEFAULT, Observations.node("n", 1),
                Observations.measurement(10), Instant.parse("2026-03-01T12:00:00.123456789Z"), Source.SWEEP);

        assertThat(o.observedAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
        assertThat(o.id()).isZero();
        assertThat(o.withId(7).id()).isEqualTo(7);
        assertThatThrownBy(() -> o.withId(-1)).hasMessage("observation: id must be >= 0, was -1");
    }

    @Test
    void jdbcLocationTakesOnlyPostgresqlUrlsAndHidesThePassword() {
        assertThatThrownBy(() -> StoreLocation.jdbc("jdbc:mysql://db/x", "u", "p"))
                .hasMessageContaining("is not a PostgreSQL JDBC URL");
        StoreLocation.Jdbc location = StoreLocation.jdbc("jdbc:postgresql://db:5432/metaserve", "ms", "secret");
        assertThat(location.toString()).isEqualTo("PostgreSQL jdbc:postgresql://db:5432/metaserve as ms")
                .doesNotContain("secret");
        assertThat(StoreLocation.embedded(Path.of("/data")).databaseFile()).isEqualTo(Path.of("/data/history.mv.db"));
    }
}
