package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InferenceRunnerTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final InferenceRunner runner = new InferenceRunner(1, 2);

    @AfterEach
    void stop() {
        release.countDown();
        runner.shutdownNow();
    }

    private Supplier<String> blocked(String value) {
        return () -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return value;
        };
    }

    @Test
    void shutdownRefusesNewWorkButDrainsAcceptedWork() throws Exception {
        CompletableFuture<String> running = runner.submit(blocked("a"), () -> false);
        CompletableFuture<String> queued = runner.submit(blocked("b"), () -> false);

        runner.shutdown();
        assertThatThrownBy(() -> runner.submit(() -> "c", () -> false))
                .isInstanceOf(NodeShuttingDownException.class);
        release.countDown();

        assertThat(runner.awaitDrained(Duration.ofSeconds(10))).isTrue();
        assertThat(running.get()).isEqualTo("a");
        assertThat(queued.get()).isEqualTo("b");
        assertThat(runner.load().getCompleted()).isEqualTo(2);
        assertThat(runner.load().getInFlight()).isZero();
    }

    @Test
    void shutdownNowAnswersQueuedWorkInsteadOfDroppingIt() {
        runner.submit(blocked("a"), () -> false);
        CompletableFuture<String> queued = runner.submit(blocked("b"), () -> false);

        runner.shutdownNow();

        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NodeShuttingDownException.class);
    }

    @Test
    void cancelledWorkIsSkippedAndNotCounted() {
        CompletableFuture<String> skipped = runner.submit(() -> {
            throw new AssertionError("must not run");
        }, () -> true);

        assertThatThrownBy(() -> skipped.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RequestCancelledException.class);
        assertThat(runner.load().getCompleted()).isZero();
    }
}
