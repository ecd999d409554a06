package dev.metaserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {
    @Test
    void percentilesUseNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms, unsorted on purpose
        }
        LatencyStats stats = LatencyStats.of(nanos, 3, 2.0);

        assertThat(stats.p50Ms()).isEqualTo(50.0);
        assertThat(stats.p90Ms()).isEqualTo(90.0);
        assertThat(stats.p99Ms()).isEqualTo(99.0);
        assertThat(stats.throughputPerSecond()).isEqualTo(50.0);
        assertThat(stats.errors()).isEqualTo(3);
    }

    @Test
    void sentencesAreBundledWithAMixOfLengths() {
        var sentences = Sentences.bundled();
        assertThat(sentences).hasSizeGreaterThan(300);
        assertThat(sentences.stream().mapToInt(s -> s.split("\\s+").length).max().orElse(0)).isGreaterThan(40);
        assertThat(sentences.stream().mapToInt(s -> s.split("\\s+").length).min().orElse(99)).isLessThan(6);
    }
}
