package dev.metaserve.nodes;

import dev.metaserve.accelerators.BatcherClosedException;
import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
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
 * Runs requests through {@link DynamicBatcher}s, one per distinct {@link Plan} in use (created when first asked for, at
 * most {@value #MAX_BATCHERS}); a plan's batches go to the {@link TextEmbedder} of its precision (the fp32 model or
 * its INT8 twin); and keeps the load figures the node reports. A batch's texts go to the embedder in one call (padded to the longest, with the attention mask), and
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
     * @param plan       the plan it ran under
     * @param batchRows  rows (texts) in the batch it ran in, its own included
     */
    public record Result(Embeddings embeddings, Plan plan, int batchRows) {
        public Batching batching() {
            return plan.batching();
        }
    }

    /** A request's share of a batch's output. */
    private record Share(Embeddings embeddings, int batchRows) {}

    private final Map<Precision, TextEmbedder> embedders;
    private final Plan defaultPlan;
    private final int workers;
    private final int queueCapacity;
    private final NodeMetrics metrics;
    private final Semaphore computing;
    private final Map<Plan, DynamicBatcher<List<String>, Share>> batchers = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong completed = new AtomicLong();
    private final LatencyWindow latencies = new LatencyWindow(LATENCY_WINDOW);
    private boolean closed;

    /** A runner with the fp32 model only. */
    public InferenceRunner(TextEmbedder embedder, Batching defaultBatching, int workers, int queueCapacity,
                           NodeMetrics metrics) {
        this(Map.of(Precision.FP32, embedder), Plan.DEFAULT.withBatching(defaultBatching), workers, queueCapacity,
                metrics);
    }

    /**
     * @param embedders       per precision the node has a model for, the one computing its batches; called from
     *                        several threads
     * @param defaultPlan     the plan of requests that name none; its batcher starts at once
     * @param workers         batches computed at once, over all settings
     * @param queueCapacity   requests that may wait in each setting's queue
     * @param metrics         where batch sizes, queue delays, queue depth and refusals go
     */
    public InferenceRunner(Map<Precision, TextEmbedder> embedders, Plan defaultPlan, int workers, int queueCapacity,
                           NodeMetrics metrics) {
        if (!embedders.containsKey(defaultPlan.precision())) {
            throw new IllegalArgumentException("no model for the default precision " + defaultPlan.precision());
        }
        if (workers < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("workers and queueCapacity must be at least 1, were " + workers + " and "
                    + queueCapacity);
        }
        this.embedders = Map.copyOf(embedders);
        this.defaultPlan = defaultPlan;
        this.workers = workers;
        this.queueCapacity = queueCapacity;
        this.metrics = metrics;
        this.computing = new Semaphore(workers, true);
        metrics.bindQueueDepth(this);
        batcherFor(defaultPlan);
    }

    public Plan defaultPlan() {
        return defaultPlan;
    }

    /** The precisions this node has a model for. */
    public java.util.Set<Precision> precisions() {
        return embedders.keySet();
    }

    /**
     * Queues one request's texts under {@code plan} ({@code null}: the node's default plan). The future completes
     * with the request's own embeddings, or fails as the batcher's does.
     *
     * @throws dev.metaserve.accelerators.QueueFullException when that setting's queue is full
     * @throws BatcherClosedException                        when {@link #shutdown()} has been called
     * @throws InvalidRequestException                       when the plan would be one more than
     *                                                       {@value #MAX_BATCHERS} in use, or asks for a precision
     *                                                       the node has no model for
     */
    public CompletableFuture<Result> submit(List<String> texts, Plan plan, BooleanSupplier cancelled) {
        Plan used = plan == null ? defaultPlan : plan;
        if (!embedders.containsKey(used.precision())) {
            throw new InvalidRequestException("this node has no " + used.precision() + " model; it runs "
                    + new java.util.TreeSet<>(embedders.keySet()));
        }
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

    private DynamicBatcher<List<String>, Share> batcherFor(Plan plan) {
        DynamicBatcher<List<String>, Share> batcher = batchers.get(plan);
        if (batcher != null) {
            return batcher;
        }
        synchronized (this) {
            if (closed) {
                throw new BatcherClosedException();
            }
            batcher = batchers.get(plan);
            if (batcher != null) {
                return batcher;
            }
            if (batchers.size() >= MAX_BATCHERS) {
                throw new InvalidRequestException("plan '" + plan + "' would be one more than the "
                        + MAX_BATCHERS + " distinct plans a node runs at once (in use: " + batchers.keySet() + ")");
            }
            TextEmbedder embedder = embedders.get(plan.precision());
            batcher = new DynamicBatcher<>(DynamicBatcher.Settings.of(plan.batching(), queueCapacity), workers,
                    requests -> runBatch(embedder, requests), List::size, "node-batch-" + plan, metrics.listenerFor(plan));
            batchers.put(plan, batcher);
            return batcher;
        }
    }

    /** The texts of all requests in one embedder call, split back per request. */
    private List<Share> runBatch(TextEmbedder embedder, List<List<String>> requests) {
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
