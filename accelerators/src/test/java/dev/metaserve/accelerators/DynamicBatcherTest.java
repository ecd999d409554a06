package dev.metaserve.accelerators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Items are lists of strings (rows = list size); the batch function answers each item with its strings upper-cased
 * and records the batches it saw. No timing is asserted: waits have generous timeouts, latches decide what runs when.
 */
class DynamicBatcherTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    private final List<List<List<String>>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final List<DynamicBatcher<?, ?>> started = new ArrayList<>();
    private final CountingListener listener = new CountingListener();

    @AfterEach
    void stop() {
        release.countDown();
        started.forEach(DynamicBatcher::shutdownNow);
    }

    private Function<List<List<String>>, List<String>> upperCase(boolean waitForRelease) {
        return items -> {
            batches.add(items);
            running.incrementAndGet();
            if (waitForRelease) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return items.stream().map(item -> String.join(" ", item).toUpperCase()).toList();
        };
    }

    private DynamicBatcher<List<String>, String> batcher(DynamicBatcher.Settings settings, int workers,
                                                         Function<List<List<String>>, List<String>> function) {
        DynamicBatcher<List<String>, String> batcher = new DynamicBatcher<>(settings, workers, function, List::size,
                "test-batcher", listener);
        started.add(batcher);
        return batcher;
    }

    private static DynamicBatcher.Settings dynamic(int maxRows, Duration delay, int capacity) {
        return new DynamicBatcher.Settings(maxRows, Integer.MAX_VALUE, delay, capacity);
    }

    private static List<String> rows(String prefix, int n) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(prefix + i);
        }
        return rows;
    }

    @Test
    void batchesNeverExceedTheMaximumRowsAndAnItemTooLargeRunsAlone() throws Exception {
        // one worker held on a first item, so everything else queues and then forms batches from a full queue
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(5, Duration.ofMillis(1), 100), 1,
                upperCase(true));
        CompletableFuture<String> first = batcher.submit(List.of("first"), () -> false);
        waitFor(() -> running.get() == 1);
        List<CompletableFuture<String>> futures = new ArrayList<>();
        int[] sizes = {2, 3, 1, 4, 7, 2, 2, 1, 5, 3};
        for (int i = 0; i < sizes.length; i++) {
            futures.add(batcher.submit(rows("r" + i + "-", sizes[i]), () -> false));
        }
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<String> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }

        for (List<List<String>> batch : batches) {
            int rows = batch.stream().mapToInt(List::size).sum();
            assertThat(rows <= 5 || batch.size() == 1).as("batch %s", batch).isTrue();
        }
        assertThat(batches).anySatisfy(batch -> assertThat(batch).singleElement()
                .satisfies(item -> assertThat(item).hasSize(7)));
        assertThat(batches).anySatisfy(batch -> assertThat(batch.size()).isGreaterThan(1));
        assertThat(listener.rows.get()).isEqualTo(1 + java.util.Arrays.stream(sizes).sum());
    }

    @Test
    void aLoneItemIsReleasedAfterTheDelay() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(8, Duration.ofMillis(50), 10), 1,
                upperCase(false));

        assertThat(batcher.submit(List.of("alone"), () -> false).get(10, TimeUnit.SECONDS)).isEqualTo("ALONE");
        assertThat(batches).singleElement().satisfies(batch -> assertThat(batch).hasSize(1));
        assertThat(listener.queuedItems.get()).isEqualTo(1);
    }

    @Test
    void aFullBatchGoesAtOnceWithoutWaitingForTheDelay() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(4, LONG, 10), 1, upperCase(false));

        CompletableFuture<String> a = batcher.submit(List.of("a", "b"), () -> false);
        CompletableFuture<String> b = batcher.submit(List.of("c", "d"), () -> false);

        // the delay is 10 s; the batch is full, so it must not wait for it (the timeout is well below the delay)
        assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("A B");
        assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo("C D");
        assertThat(batches).singleElement().satisfies(batch -> assertThat(batch).hasSize(2));
    }

    @Test
    void noneRunsEveryItemAloneWhateverItsRows() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(
                DynamicBatcher.Settings.of(Batching.NONE, 10), 1, upperCase(true));
        CompletableFuture<String> first = batcher.submit(List.of("x"), () -> false);
        waitFor(() -> running.get() == 1);
        CompletableFuture<String> three = batcher.submit(List.of("a", "b", "c"), () -> false);
        CompletableFuture<String> one = batcher.submit(List.of("d"), () -> false);
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("X");
        assertThat(three.get(10, TimeUnit.SECONDS)).isEqualTo("A B C");
        assertThat(one.get(10, TimeUnit.SECONDS)).isEqualTo("D");
        assertThat(batches).hasSize(3).allSatisfy(batch -> assertThat(batch).hasSize(1));
    }

    @Test
    void outputsGoToTheirOwnCallersUnderConcurrency() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(7, Duration.ofMillis(2), 10_000), 2,
                upperCase(false));
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Void>> checks = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                checks.add(clients.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        List<String> item = rows("c" + client + "i" + i + "r", 1 + (i % 3));
                        String expected = String.join(" ", item).toUpperCase();
                        assertThat(batcher.submit(item, () -> false).get(10, TimeUnit.SECONDS)).isEqualTo(expected);
                    }
                    return null;
                }));
            }
            for (Future<Void> check : checks) {
                check.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(listener.items.get()).isEqualTo(800);
    }

    @Test
    void orderWithinABatchIsKept() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(100, Duration.ofMillis(1), 100), 1,
                upperCase(true));
        CompletableFuture<String> first = batcher.submit(List.of("first"), () -> false);
        waitFor(() -> running.get() == 1);
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(batcher.submit(List.of("item" + i), () -> false));
        }
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
            assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("ITEM" + i);
        }
        assertThat(batches.get(1).stream().map(item -> item.get(0)).toList())
                .containsExactlyElementsOf(rows("item", 20));
    }

    @Test
    void aFullQueueRefusesAtOnceWhileAcceptedWorkCompletes() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(1, Duration.ZERO, 2), 1, upperCase(true));
        CompletableFuture<String> runningItem = batcher.submit(List.of("a"), () -> false);
        waitFor(() -> running.get() == 1);
        CompletableFuture<String> queued1 = batcher.submit(List.of("b"), () -> false);
        CompletableFuture<String> queued2 = batcher.submit(List.of("c"), () -> false);

        assertThatThrownBy(() -> batcher.submit(List.of("d"), () -> false))
                .isInstanceOf(QueueFullException.class)
                .hasMessageContaining("capacity 2")
                .satisfies(e -> assertThat(((QueueFullException) e).queueCapacity()).isEqualTo(2));
        assertThat(batcher.queueDepth()).isEqualTo(2);
        assertThat(listener.rejected.get()).isEqualTo(1);

        release.countDown();
        assertThat(runningItem.get(10, TimeUnit.SECONDS)).isEqualTo("A");
        assertThat(queued1.get(10, TimeUnit.SECONDS)).isEqualTo("B");
        assertThat(queued2.get(10, TimeUnit.SECONDS)).isEqualTo("C");
    }

    @Test
    void cancelledItemsAreNeverPassedToTheBatchFunction() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(10, Duration.ofMillis(1), 10), 1,
                upperCase(true));
        CompletableFuture<String> first = batcher.submit(List.of("first"), () -> false);
        waitFor(() -> running.get() == 1);
        CompletableFuture<String> gone = batcher.submit(List.of("gone"), () -> true);
        CompletableFuture<String> kept = batcher.submit(List.of("kept"), () -> false);
        CompletableFuture<String> goneAlone = batcher.submit(List.of("gone too"), () -> true);
        release.countDown();

        assertThat(kept.get(10, TimeUnit.SECONDS)).isEqualTo("KEPT");
        assertThatThrownBy(() -> gone.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CancelledBeforeStartException.class);
        assertThatThrownBy(() -> goneAlone.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CancelledBeforeStartException.class);
        first.get(10, TimeUnit.SECONDS);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).doesNotContain(List.of("gone"), List.of("gone too")));
        assertThat(listener.cancelled.get()).isEqualTo(2);
    }

    @Test
    void aThrowingBatchFunctionFailsOnlyThatBatch() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Function<List<List<String>>, List<String>> failsFirst = items -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("model exploded");
            }
            return items.stream().map(item -> item.get(0)).toList();
        };
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(4, Duration.ZERO, 10), 1, failsFirst);

        CompletableFuture<String> failed = batcher.submit(List.of("a"), () -> false);
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("model exploded");
        assertThat(batcher.submit(List.of("b"), () -> false).get(10, TimeUnit.SECONDS)).isEqualTo("b");
    }

    @Test
    void aBatchFunctionAnsweringTheWrongNumberOfOutputsFailsTheBatch() {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(4, Duration.ZERO, 10), 1,
                items -> Collections.emptyList());

        assertThatThrownBy(() -> batcher.submit(List.of("a"), () -> false).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("0 outputs for 1 items");
    }

    @Test
    void shutdownFinishesQueuedWorkAndRefusesNew() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(1, LONG, 10), 1, upperCase(true));
        CompletableFuture<String> runningItem = batcher.submit(List.of("a"), () -> false);
        waitFor(() -> running.get() == 1);
        CompletableFuture<String> queued = batcher.submit(List.of("b"), () -> false);

        batcher.shutdown();
        assertThatThrownBy(() -> batcher.submit(List.of("c"), () -> false)).isInstanceOf(BatcherClosedException.class);
        release.countDown();

        assertThat(batcher.awaitDrained(LONG)).isTrue();
        assertThat(runningItem.get()).isEqualTo("A");
        assertThat(queued.get()).isEqualTo("B");
    }

    @Test
    void shutdownNowFailsQueuedWorkInsteadOfDroppingIt() throws Exception {
        DynamicBatcher<List<String>, String> batcher = batcher(dynamic(1, Duration.ZERO, 10), 1, upperCase(true));
        CompletableFuture<String> runningItem = batcher.submit(List.of("a"), () -> false);
        waitFor(() -> running.get() == 1);
        CompletableFuture<String> queued = batcher.submit(List.of("b"), () -> false);

        batcher.shutdownNow();

        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(BatcherClosedException.class);
        assertThat(batcher.queueDepth()).isZero();
        release.countDown();
        assertThat(runningItem.get(10, TimeUnit.SECONDS)).isEqualTo("A");
        assertThat(batcher.awaitDrained(LONG)).isTrue();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in " + LONG);
            }
            Thread.sleep(5);
        }
    }

    private static final class CountingListener implements BatcherListener {
        final AtomicInteger rows = new AtomicInteger();
        final AtomicInteger items = new AtomicInteger();
        final AtomicInteger queuedItems = new AtomicInteger();
        final AtomicInteger rejected = new AtomicInteger();
        final AtomicInteger cancelled = new AtomicInteger();

        @Override
        public void batchRan(int rows, int items) {
            this.rows.addAndGet(rows);
            this.items.addAndGet(items);
        }

        @Override
        public void queued(long nanos) {
            assertThat(nanos).isNotNegative();
            queuedItems.incrementAndGet();
        }

        @Override
        public void rejected() {
            rejected.incrementAndGet();
        }

        @Override
        public void cancelled() {
            cancelled.incrementAndGet();
        }
    }
}
