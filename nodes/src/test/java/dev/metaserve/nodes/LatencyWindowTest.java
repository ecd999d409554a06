package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {
    @Test
    void emptyWindowReportsZero() {
        assertThat(new LatencyWindow(5).medianMillis()).isZero();
    }

    @Test
    void medianOfOddAndEvenCounts() {
        LatencyWindow window = new LatencyWindow(10);
        window.record(9);
        window.record(1);
        window.record(5);
        assertThat(window.medianMillis()).isEqualTo(5);

        window.record(7);
        assertThat(window.medianMillis()).isEqualTo(6);
    }

    @Test
    void onlyTheLatestValuesCount() {
        LatencyWindow window = new LatencyWindow(3);
        window.record(1000);
        window.record(1000);
        window.record(1000);
        window.record(2);
        window.record(3);
        window.record(4);

        assertThat(window.medianMillis()).isEqualTo(3);
    }
}
