package dev.metaserve.accelerators;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Gathers submitted items into batches and runs each batch with one call of the batch function, on a fixed number of
 * worker threads behind a bounded queue.
 *
 * <p>A worker takes the oldest item, then keeps taking items while the batch holds fewer than
 * {@link Settings#maxBatchRows()} rows (and fewer than {@link Settings#maxBatchItems()} items), waiting at most until
 * the oldest item has waited {@link Settings#maxQueueDelay()}. An item that would push the batch over the row limit
 * stays queued for the next batch; an item alone larger than the limit runs alone. One worker forms a batch at a time,
 * so the others are free to run theirs. Items whose caller has gone away by then are answered with
 * {@link CancelledBeforeStartException} and not computed. Every output goes to its own item's future; when the batch
 * function throws, every item of that batch fails with it.
 *
 * <p>Nothing is dropped silently: a full queue refuses at once with {@link QueueFullException}, a closed batcher with
 * {@link BatcherClosedException}, and {@link #shutdownNow()} fails the queued items with it.
 *
 * @param <I> an item: one caller's request, possibly of several rows
 * @param <O> the output for one item
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {
    /**
     * @param maxBatchRows  a batch is sent once it holds this many rows
     * @param maxBatchItems a batch is sent once it holds this many items (1: every item alone)
     * @param maxQueueDelay longest the oldest item of a batch waits for the batch to fill
     * @param queueCapacity items that may wait; one more is refused with {@link QueueFullException}
     */
    public record Settings(int maxBatchRows, int maxBatchItems, Duration maxQueueDelay, int queueCapacity) {
        public Settings {
            if (maxBatchRows < 1 || maxBatchItems < 1 || queueCapacity < 1) {
                throw new IllegalArgumentException("maxBatchRows, maxBatchItems and queueCapacity must each be at"
                        + " least 1, were " + maxBatchRows + ", " + maxBatchItems + " and " + queueCapacity);
            }
            if (maxQueueDelay == null || maxQueueDelay.isNegative()) {
                throw new IllegalArgumentException("maxQueueDelay must be zero or positive, was " + maxQueueDelay);
            }
        }

        /**
         * The settings that carry out {@code batching}: {@code none} is one item per batch with no delay (an item of
         * several rows still runs as one call); {@code dynamic(max, delay)} is up to {@code max} rows per batch,
         * any number of items, waiting up to {@code delay} µs.
         */
        public static Settings of(Batching batching, int queueCapacity) {
            if (batching instanceof Batching.Dynamic dynamic) {
                return new Settings(dynamic.maxBatchSize(), Integer.MAX_VALUE,
                        Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(dynamic.maxQueueDelayMicros())), queueCapacity);
            }
            return new Settings(Integer.MAX_VALUE, 1, Duration.ZERO, queueCapacity);
        }
    }

    private final Settings settings;
    private final long maxQueueDelayNanos;
    private final Function<List<I>, List<O>> batchFunction;
    private final ToIntFunction<I> rowsOf;
    private final BatcherListener listener;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Entry<I, O>> queue = new ArrayDeque<>();
    /** Held by the one worker forming a batch. */
    private final ReentrantLock forming = new ReentrantLock();
    private final CountDownLatch workersDone;
    private boolean closed;

    /**
     * Starts the workers.
     *
     * @param workers       batches run at once
     * @param batchFunction computes a batch: one output per item, in item order; may be called from several workers
     * @param rowsOf        rows of an item, e.g. the number of texts of a request
     * @param threadPrefix  worker threads are named {@code threadPrefix-1}, {@code -2}, ...
     * @param listener      told about batches, queue delays, refusals and cancellations
     */
    public DynamicBatcher(Settings settings, int workers, Function<List<I>, List<O>> batchFunction,
                          ToIntFunction<I> rowsOf, String threadPrefix, BatcherListener listener) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.settings = settings;
        this.maxQueueDelayNanos = settings.maxQueueDelay().toNanos();
        this.batchFunction = batchFunction;
        this.rowsOf = rowsOf;
        this.listener = listener;
        this.workersDone = new CountDownLatch(workers);
        for (int i = 1; i <= workers; i++) {
            Thread thread = new Thread(this::work, threadPrefix + "-" + i);
            thread.setDaemon(true);
            thread.start();
        }
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Queues the item. The future completes with the item's output; or fails with
     * {@link CancelledBeforeStartException} when {@code cancelled} is true once its batch is formed (nothing is
     * computed then), with {@link BatcherClosedException} when {@link #shutdownNow()} drops it, or with whatever the
     * batch function threw.
     *
     * @throws QueueFullException      when {@link Settings#queueCapacity()} items are waiting already
     * @throws BatcherClosedException when the batcher is shutting down
     */
    public CompletableFuture<O> submit(I item, BooleanSupplier cancelled) {
        Entry<I, O> entry = new Entry<>(item, rowsOf.applyAsInt(item), cancelled, System.nanoTime());
        lock.lock();
        try {
            if (closed) {
                throw new BatcherClosedException();
            }
            if (queue.size() >= settings.queueCapacity()) {
                listener.rejected();
                throw new QueueFullException(settings.queueCapacity());
            }
            queue.addLast(entry);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return entry.future;
    }

    /** Items waiting for a batch. */
    public int queueDepth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        try {
            while (true) {
                List<Entry<I, O>> batch;
                forming.lock();
                try {
                    batch = nextBatch();
                } finally {
                    forming.unlock();
                }
                if (batch == null) {
                    return;
                }
                run(batch);
            }
        } finally {
            workersDone.countDown();
        }
    }

    /** The next batch of items still wanted, possibly empty; null when the batcher is closed and the queue empty. */
    private List<Entry<I, O>> nextBatch() {
        List<Entry<I, O>> batch = new ArrayList<>();
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                arrived.awaitUninterruptibly();
            }
            Entry<I, O> first = queue.pollFirst();
            batch.add(first);
            long rows = first.rows;
            long sendBy = first.enqueuedNanos + maxQueueDelayNanos;
            while (batch.size() < settings.maxBatchItems() && rows < settings.maxBatchRows()) {
                Entry<I, O> next = queue.peekFirst();
                if (next != null) {
                    if (rows + next.rows > settings.maxBatchRows()) {
                        break;
                    }
                    queue.pollFirst();
                    batch.add(next);
                    rows += next.rows;
                    continue;
                }
                long waitNanos = sendBy - System.nanoTime();
                if (closed || waitNanos <= 0) {
                    break;
                }
                try {
                    arrived.awaitNanos(waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        List<Entry<I, O>> wanted = new ArrayList<>(batch.size());
        for (Entry<I, O> entry : batch) {
            if (isCancelled(entry)) {
                entry.future.completeExceptionally(new CancelledBeforeStartException());
                listener.cancelled();
            } else {
                wanted.add(entry);
            }
        }
        return wanted;
    }

    private static boolean isCancelled(Entry<?, ?> entry) {
        try {
            return entry.cancelled.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void run(List<Entry<I, O>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        int rows = 0;
        List<I> items = new ArrayList<>(batch.size());
        for (Entry<I, O> entry : batch) {
            rows += entry.rows;
            items.add(entry.item);
            listener.queued(start - entry.enqueuedNanos);
        }
        listener.batchRan(rows, batch.size());
        List<O> outputs;
        try {
            outputs = batchFunction.apply(items);
            if (outputs == null || outputs.size() != items.size()) {
                throw new IllegalStateException("batch function returned " + (outputs == null ? "null"
                        : outputs.size() + " outputs") + " for " + items.size() + " items");
            }
        } catch (Throwable t) {
            // the worker lives on: the failure belongs to this batch's callers alone
            for (Entry<I, O> entry : batch) {
                entry.future.completeExceptionally(t);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future.complete(outputs.get(i));
        }
    }

    /** Takes no new items; the queued ones still run (without waiting for batches to fill). */
    public void shutdown() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** After {@link #shutdown()}: waits for the queue to empty and running batches to end; false if time ran out. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return workersDone.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Takes no new items and fails every queued one with {@link BatcherClosedException}; batches already running
     * finish on their own, without being waited for.
     */
    public void shutdownNow() {
        List<Entry<I, O>> dropped;
        lock.lock();
        try {
            closed = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        for (Entry<I, O> entry : dropped) {
            entry.future.completeExceptionally(new BatcherClosedException());
        }
    }

    /** {@link #shutdownNow()}. */
    @Override
    public void close() {
        shutdownNow();
    }

    private static final class Entry<I, O> {
        final I item;
        final int rows;
        final BooleanSupplier cancelled;
        final long enqueuedNanos;
        final CompletableFuture<O> future = new CompletableFuture<>();

        Entry(I item, int rows, BooleanSupplier cancelled, long enqueuedNanos) {
            this.item = item;
            this.rows = rows;
            this.cancelled = cancelled;
            this.enqueuedNanos = enqueuedNanos;
        }
    }
}
