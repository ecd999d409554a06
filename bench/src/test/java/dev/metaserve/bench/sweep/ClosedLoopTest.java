package dev.metaserve.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {
    @Test
    void theWindowHoldsAtLeastTheMinimumRequestsAndCountsTheirTokens() throws Exception {
        ClosedLoop.Result result = ClosedLoop.run(index -> {
            Thread.sleep(5);
            return 3;
        }, 4, new ClosedLoop.Settings(Duration.ofMillis(50), Duration.ofMillis(100), 40, Duration.ofSeconds(30)));

        assertThat(result.samples()).isGreaterThanOrEqualTo(40);
        assertThat(result.seconds()).isGreaterThanOrEqualTo(0.1);
        assertThat(result.percentileMs(0.5)).isGreaterThanOrEqualTo(5);
        assertThat(result.percentileMs(0.99)).isGreaterThanOrEqualTo(result.percentileMs(0.5));
        assertThat(result.tokensPerSecond()).isCloseTo(3 * result.requestsPerSecond(), offset(1e-6));
    }

    @Test
    void aFailedRequestFailsTheRunNamingIt() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> ClosedLoop.run(index -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("node gone");
            }
            return 0;
        }, 2, new ClosedLoop.Settings(Duration.ZERO, Duration.ofMillis(100), 1, Duration.ofSeconds(5))))
                .hasMessageContaining("failed").hasMessageContaining("node gone");
    }
}
