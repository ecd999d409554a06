package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.BatcherClosedException;
import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.CancelledBeforeStartException;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.models.Embeddings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner with a stand-in embedder: vector[0] is the text's length, its token count the text's length too. */
class InferenceRunnerTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private final List<List<String>> embedded = new CopyOnWriteArrayList<>();
    private volatile boolean block = true;
    private final TextEmbedder embedder = texts -> {
        embedded.add(texts);
        calls.incrementAndGet();
        if (block) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        float[][] vectors = new float[texts.size()][4];
        int[] counts = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            vectors[i][0] = texts.get(i).length();
            counts[i] = texts.get(i).length();
        }
        return new Embeddings(vectors, counts);
    };
    private final List<InferenceRunner> runners = new ArrayList<>();

    private InferenceRunner runner(Batching batching, int queueCapacity) {
        InferenceRunner runner = new InferenceRunner(embedder, batching, 1, queueCapacity,
                new NodeMetrics(new SimpleMeterRegistry()));
        runners.add(runner);
        return runner;
    }

    @AfterEach
    void stop() {
        release.countDown();
        runners.forEach(InferenceRunner::shutdownNow);
    }

    @Test
    void requestsSharingABatchGetTheirOwnVectorsAndTokenCountsInOrder() throws Exception {
        InferenceRunner runner = runner(new Batching.Dynamic(16, 1000), 16);
        CompletableFuture<InferenceRunner.Result> first = runner.submit(List.of("x"), null, () -> false);
        Poll.until("first batch running", () -> calls.get() == 1);
        CompletableFuture<InferenceRunner.Result> a = runner.submit(List.of("aa", "aaa"), null, () -> false);
        CompletableFuture<InferenceRunner.Result> b = runner.submit(List.of("bbbbb"), null, () -> false);
        CompletableFuture<InferenceRunner.Result> c = runner.submit(List.of("c", "cccccccc", "cccc"), null, () -> false);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).batchRows()).isEqualTo(1);
        InferenceRunner.Result ra = a.get(10, TimeUnit.SECONDS);
        InferenceRunner.Result rb = b.get(10, TimeUnit.SECONDS);
        InferenceRunner.Result rc = c.get(10, TimeUnit.SECONDS);
        assertThat(embedded).hasSize(2);
        assertThat(embedded.get(1)).containsExactly("aa", "aaa", "bbbbb", "c", "cccccccc", "cccc");
        assertThat(ra.embeddings().tokenCounts()).containsExactly(2, 3);
        assertThat(rb.embeddings().vectors()[0][0]).isEqualTo(5);
        assertThat(rc.embeddings().tokenCounts()).containsExactly(1, 8, 4);
        assertThat(List.of(ra.batchRows(), rb.batchRows(), rc.batchRows())).containsOnly(6);
        assertThat(ra.batching()).isEqualTo(new Batching.Dynamic(16, 1000));
        assertThat(runner.load().getCompleted()).isEqualTo(4);
    }

    @Test
    void aPerRequestSettingRunsOnItsOwnBatcher() throws Exception {
        block = false;
        InferenceRunner runner = runner(new Batching.Dynamic(16, 1000), 16);

        InferenceRunner.Result result = runner.submit(List.of("a", "b"), Plan.DEFAULT.withBatching(Batching.NONE), () -> false)
                .get(10, TimeUnit.SECONDS);

        assertThat(result.batching()).isEqualTo(Batching.NONE);
        assertThat(result.batchRows()).isEqualTo(2);
    }

    @Test
    void aNinthDistinctSettingIsRefusedNamingTheLimit() throws Exception {
        block = false;
        InferenceRunner runner = runner(Batching.NONE, 4);
        for (int i = 1; i <= 7; i++) {
            runner.submit(List.of("a"), Plan.DEFAULT.withBatching(new Batching.Dynamic(i, 0)), () -> false).get(10, TimeUnit.SECONDS);
        }

        assertThatThrownBy(() -> runner.submit(List.of("a"), Plan.DEFAULT.withBatching(new Batching.Dynamic(99, 0)), () -> false))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("dynamic(99,0)")
                .hasMessageContaining("8 distinct plans");
        // settings already in use still run
        assertThat(runner.submit(List.of("a"), Plan.DEFAULT.withBatching(new Batching.Dynamic(3, 0)), () -> false).get(10, TimeUnit.SECONDS)
                .batchRows()).isEqualTo(1);
    }

    @Test
    void shutdownRefusesNewWorkButDrainsAcceptedWork() throws Exception {
        InferenceRunner runner = runner(Batching.NONE, 2);
        CompletableFuture<InferenceRunner.Result> running = runner.submit(List.of("a"), null, () -> false);
        Poll.until("first running", () -> calls.get() == 1);
        CompletableFuture<InferenceRunner.Result> queued = runner.submit(List.of("bb"), null, () -> false);

        runner.shutdown();
        assertThatThrownBy(() -> runner.submit(List.of("c"), null, () -> false))
                .isInstanceOf(BatcherClosedException.class);
        assertThatThrownBy(() -> runner.submit(List.of("c"), Plan.DEFAULT.withBatching(new Batching.Dynamic(2, 0)), () -> false))
                .isInstanceOf(BatcherClosedException.class);
        release.countDown();

        assertThat(runner.awaitDrained(Duration.ofSeconds(10))).isTrue();
        assertThat(running.get().embeddings().tokenCounts()).containsExactly(1);
        assertThat(queued.get().embeddings().tokenCounts()).containsExactly(2);
        assertThat(runner.load().getCompleted()).isEqualTo(2);
        assertThat(runner.load().getInFlight()).isZero();
    }

    @Test
    void shutdownNowAnswersQueuedWorkInsteadOfDroppingIt() {
        InferenceRunner runner = runner(Batching.NONE, 2);
        runner.submit(List.of("a"), null, () -> false);
        Poll.until("first running", () -> calls.get() == 1);
        CompletableFuture<InferenceRunner.Result> queued = runner.submit(List.of("b"), null, () -> false);

        runner.shutdownNow();

        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(BatcherClosedException.class);
    }

    @Test
    void cancelledWorkIsSkippedAndNotCounted() {
        block = false;
        InferenceRunner runner = runner(Batching.NONE, 2);

        CompletableFuture<InferenceRunner.Result> skipped = runner.submit(List.of("a"), null, () -> true);

        assertThatThrownBy(() -> skipped.get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(CancelledBeforeStartException.class);
        assertThat(calls.get()).isZero();
        assertThat(runner.load().getCompleted()).isZero();
        Poll.until("nothing in flight", () -> runner.load().getInFlight() == 0);
    }
}
