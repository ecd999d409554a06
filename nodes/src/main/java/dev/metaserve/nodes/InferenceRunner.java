package dev.metaserve.nodes;

import dev.metaserve.accelerators.BatcherClosedException;
import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.DynamicBatcher;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.node.Load;
import dev.metaserve.models.Embeddings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Runs requests through {@link DynamicBatcher}s, one per distinct {@link Batching} setting in use (created when first
 * asked for, at most {@value #MAX_BATCHERS}), all sharing the one {@link TextEmbedder}; and keeps the load figures the
 * node reports. A batch's texts go to the embedder in one call (padded to the longest, with the attention mask), and
 * the vectors are split back per request. At most {@code workers} batches compute at once, whatever their setting.
 *
 * <p>Work is refused, never queued without bound: a full queue fails with
 * {@link dev.metaserve.accelerators.QueueFullException}, a runner that is shutting down with
 * {@link BatcherClosedException}; work whose caller went away before its batch started fails with
 * {@link dev.metaserve.accelerators.CancelledBeforeStartException}.
 */
public final class InferenceRunner {
    /** Most distinct batching settings in use at once; each has its own queue and worker threads. */
    public static final int MAX_BATCHERS = 8;
    private static final int LATENCY_WINDOW = 100;

    /**
     * One request's answer.
     *
     * @param embeddings its own vectors and token counts, in its text order
     * @param batching   the setting it ran under
     * @param batchRows  rows (texts) in the batch it ran in, its own included
     */
    public record Result(Embeddings embeddings, Batching batching, int batchRows) {}

    /** A request's share of a batch's output. */
    private record Share(Embeddings embeddings, int batchRows) {}

    private final TextEmbedder embedder;
    private final Batching defaultBatching;
    private final int workers;
    private final int queueCapacity;
    private final NodeMetrics metrics;
    private final Semaphore computing;
    private final Map<Batching, DynamicBatcher<List<String>, Share>> batchers = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong completed = new AtomicLong();
    private final LatencyWindow latencies = new LatencyWindow(LATENCY_WINDOW);
    private boolean closed;

    /**
     * @param embedder        computes a batch's texts; called from several threads
     * @param defaultBatching the setting of requests that name none; its batcher starts at once
     * @param workers         batches computed at once, over all settings
     * @param queueCapacity   requests that may wait in each setting's queue
     * @param metrics         where batch sizes, queue delays, queue depth and refusals go
     */
    public InferenceRunner(TextEmbedder embedder, Batching defaultBatching, int workers, int queueCapacity,
                           NodeMetrics metrics) {
        if (workers < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("workers and queueCapacity must be at least 1, were " + workers + " and "
                    + queueCapacity);
        }
        this.embedder = embedder;
        this.defaultBatching = defaultBatching;
        this.workers = workers;
        this.queueCapacity = queueCapacity;
        this.metrics = metrics;
        this.computing = new Semaphore(workers, true);
        metrics.bindQueueDepth(this);
        batcherFor(defaultBatching);
    }

    public Batching defaultBatching() {
        return defaultBatching;
    }

    /**
     * Queues one request's texts under {@code batching} ({@code null}: the default setting). The future completes
     * with the request's own embeddings, or fails as the batcher's does.
     *
     * @throws dev.metaserve.accelerators.QueueFullException when that setting's queue is full
     * @throws BatcherClosedException                        when {@link #shutdown()} has been called
     * @throws InvalidRequestException                       when the setting would be one more than
     *                                                       {@value #MAX_BATCHERS} in use
     */
    public CompletableFuture<Result> submit(List<String> texts, Batching batching, BooleanSupplier cancelled) {
        Batching used = batching == null ? defaultBatching : batching;
        DynamicBatcher<List<String>, Share> batcher = batcherFor(used);
        long acceptedNanos = System.nanoTime();
        inFlight.incrementAndGet();
        CompletableFuture<Share> share;
        try {
            share = batcher.submit(texts, cancelled);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        // a stage of its own, so the figures are updated before the caller's callbacks answer the request
        return share.whenComplete((done, failure) -> {
            inFlight.decrementAndGet();
            if (failure == null) {
                latencies.record((System.nanoTime() - acceptedNanos) / 1e6);
                completed.incrementAndGet();
            }
        }).thenApply(done -> new Result(done.embeddings(), used, done.batchRows()));
    }

    private DynamicBatcher<List<String>, Share> batcherFor(Batching batching) {
        DynamicBatcher<List<String>, Share> batcher = batchers.get(batching);
        if (batcher != null) {
            return batcher;
        }
        synchronized (this) {
            if (closed) {
                throw new BatcherClosedException();
            }
            batcher = batchers.get(batching);
            if (batcher != null) {
                return batcher;
            }
            if (batchers.size() >= MAX_BATCHERS) {
                throw new InvalidRequestException("batching '" + batching + "' would be one more than the "
                        + MAX_BATCHERS + " distinct batching settings a node runs at once (in use: "
                        + batchers.keySet() + ")");
            }
            batcher = new DynamicBatcher<>(DynamicBatcher.Settings.of(batching, queueCapacity), workers,
                    this::runBatch, List::size, "node-batch-" + batching, metrics.listenerFor(batching));
            batchers.put(batching, batcher);
            return batcher;
        }
    }

    /** The texts of all requests in one embedder call, split back per request. */
    private List<Share> runBatch(List<List<String>> requests) {
        List<String> all = new ArrayList<>();
        for (List<String> texts : requests) {
            all.addAll(texts);
        }
        Embeddings embeddings;
        computing.acquireUninterruptibly();
        try {
            embeddings = embedder.embed(all);
        } finally {
            computing.release();
        }
        if (embeddings.size() != all.size()) {
            throw new IllegalStateException("embedder returned " + embeddings.size() + " vectors for " + all.size()
                    + " texts");
        }
        List<Share> shares = new ArrayList<>(requests.size());
        int offset = 0;
        for (List<String> texts : requests) {
            int end = offset + texts.size();
            shares.add(new Share(new Embeddings(Arrays.copyOfRange(embeddings.vectors(), offset, end),
                    Arrays.copyOfRange(embeddings.tokenCounts(), offset, end)), all.size()));
            offset = end;
        }
        return shares;
    }

    /** Requests waiting for a batch, over all settings. */
    public int queueDepth() {
        int depth = 0;
        for (DynamicBatcher<?, ?> batcher : batchers.values()) {
            depth += batcher.queueDepth();
        }
        return depth;
    }

    /** Requests that may wait in each setting's queue. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /**
     * The figures sent with each heartbeat: queue depth, accepted requests not yet answered, median latency (queue
     * wait included) of the last {@value #LATENCY_WINDOW} successful requests, and successful requests so far.
     */
    public Load load() {
        return Load.newBuilder()
                .setQueueDepth(queueDepth())
                .setInFlight(inFlight.get())
                .setRecentLatencyMs(latencies.medianMillis())
                .setCompleted(completed.get())
                .build();
    }

    /** Refuses new work; work already accepted still runs. */
    public void shutdown() {
        synchronized (this) {
            closed = true;
        }
        batchers.values().forEach(DynamicBatcher::shutdown);
    }

    /** Waits for accepted work to finish after {@link #shutdown()}; false when the wait ran out first. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (DynamicBatcher<?, ?> batcher : batchers.values()) {
            if (!batcher.awaitDrained(Duration.ofNanos(Math.max(0, end - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** Stops without waiting; queued work is answered with {@link BatcherClosedException}. */
    public void shutdownNow() {
        synchronized (this) {
            closed = true;
        }
        batchers.values().forEach(DynamicBatcher::shutdownNow);
    }
}
