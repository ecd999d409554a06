package dev.metaserve.nodes;

import dev.metaserve.api.node.Load;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs inference work on a fixed pool of worker threads behind a bounded queue, and keeps the load figures the node
 * reports. Work is refused, never queued without bound: a full queue fails with {@link NodeOverloadedException}, a
 * runner that is shutting down with {@link NodeShuttingDownException}.
 */
public final class InferenceRunner {
    private static final int LATENCY_WINDOW = 100;

    private final ThreadPoolExecutor executor;
    private final int queueCapacity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong completed = new AtomicLong();
    private final LatencyWindow latencies = new LatencyWindow(LATENCY_WINDOW);

    /**
     * @param workers       threads computing at once
     * @param queueCapacity accepted requests that may wait for a worker
     */
    public InferenceRunner(int workers, int queueCapacity) {
        if (workers < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("workers and queueCapacity must be at least 1, were " + workers + " and "
                    + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, "node-inference-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Queues the work. The future fails with {@link RequestCancelledException} when {@code cancelled} is true by the
     * time a worker picks the work up (nothing is computed then), or with whatever the work threw.
     *
     * @throws NodeOverloadedException    when the queue is full
     * @throws NodeShuttingDownException when {@link #shutdown()} has been called
     */
    public <T> CompletableFuture<T> submit(Supplier<T> work, BooleanSupplier cancelled) {
        Job<T> job = new Job<>(work, cancelled);
        inFlight.incrementAndGet();
        try {
            executor.execute(job);
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            throw executor.isShutdown() ? new NodeShuttingDownException() : new NodeOverloadedException(queueCapacity);
        }
        return job.future;
    }

    private final class Job<T> implements Runnable {
        private final Supplier<T> work;
        private final BooleanSupplier cancelled;
        private final CompletableFuture<T> future = new CompletableFuture<>();
        private final long acceptedNanos = System.nanoTime();

        Job(Supplier<T> work, BooleanSupplier cancelled) {
            this.work = work;
            this.cancelled = cancelled;
        }

        @Override
        public void run() {
            try {
                if (cancelled.getAsBoolean()) {
                    future.completeExceptionally(new RequestCancelledException());
                    return;
                }
                T result = work.get();
                latencies.record((System.nanoTime() - acceptedNanos) / 1e6);
                completed.incrementAndGet();
                future.complete(result);
            } catch (Throwable t) {
                future.completeExceptionally(t);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        /** Answers work that will never run. */
        void abandon() {
            if (future.completeExceptionally(new NodeShuttingDownException())) {
                inFlight.decrementAndGet();
            }
        }
    }

    /** Requests waiting for a worker. */
    public int queueDepth() {
        return executor.getQueue().size();
    }

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
        executor.shutdown();
    }

    /** Waits for accepted work to finish after {@link #shutdown()}; false when the wait ran out first. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the workers without waiting; queued work is answered with {@link NodeShuttingDownException}. */
    public void shutdownNow() {
        for (Runnable dropped : executor.shutdownNow()) {
            ((Job<?>) dropped).abandon();
        }
    }
}
