package dev.metaserve.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Several task classes at once, each by its own closed-loop clients (as many as its concurrency: send, wait for the
 * answer, send the next). For {@code warmup} nothing is recorded; then, for {@code measure}, every request that
 * completes is. No request starts after the window; those still running at its end complete (the next run starts on
 * an idle gateway) but are not recorded. A failed request is counted, and its client pauses briefly, so a broken
 * setting shows as errors instead of a spinning loop.
 */
final class MixedLoad {
    private static final long PAUSE_AFTER_ERROR_MS = 100;
    private static final long JOIN_TIMEOUT_SECONDS = 300;

    /** Sends request {@code index} (from 0, per class and run) and says how it was served. */
    @FunctionalInterface
    interface Call {
        Served send(int index) throws Exception;
    }

    record ClassLoad(TaskClass taskClass, Call call) {}

    /** A request completed in the window. */
    record Completion(long latencyNanos, int index, Served served) {}

    /**
     * What one class's clients got.
     *
     * @param completions requests completed in the window
     * @param succeeded   requests that succeeded, warm-up included
     * @param errors      requests that failed, warm-up included
     * @param firstError  the first failure's message, null when none failed
     */
    record ClassRun(List<Completion> completions, int succeeded, int errors, String firstError) {
        /** Every request failed: the setting is broken, not slow. */
        boolean broken() {
            return succeeded == 0 && errors > 0;
        }

        long[] latenciesNanos() {
            return completions.stream().mapToLong(Completion::latencyNanos).toArray();
        }
    }

    private MixedLoad() {}

    /** @return per class name, in the order given, what its clients got */
    static Map<String, ClassRun> run(List<ClassLoad> loads, Duration warmup, Duration measure)
            throws InterruptedException {
        long windowStart = System.nanoTime() + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        int threads = loads.stream().mapToInt(l -> l.taskClass().concurrency()).sum();
        ExecutorService clients = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "e2e-client");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, Tally> tallies = new LinkedHashMap<>();
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (ClassLoad load : loads) {
                Tally tally = new Tally();
                tallies.put(load.taskClass().name(), tally);
                for (int c = 0; c < load.taskClass().concurrency(); c++) {
                    workers.add(clients.submit(() -> {
                        loop(load.call(), tally, windowStart, windowEnd);
                        return null;
                    }));
                }
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get(windowEnd - System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_TIMEOUT_SECONDS),
                            TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("a client did not finish: " + e, e);
                }
            }
        } finally {
            clients.shutdownNow();
        }
        Map<String, ClassRun> runs = new LinkedHashMap<>();
        tallies.forEach((name, tally) -> runs.put(name, tally.run()));
        return runs;
    }

    private static void loop(Call call, Tally tally, long windowStart, long windowEnd) throws InterruptedException {
        while (System.nanoTime() < windowEnd) {
            int index = tally.next.getAndIncrement();
            long sent = System.nanoTime();
            try {
                Served served = call.send(index);
                long done = System.nanoTime();
                tally.succeeded(done >= windowStart && done <= windowEnd, done - sent, index, served);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                tally.failed(e);
                Thread.sleep(PAUSE_AFTER_ERROR_MS);
            }
        }
    }

    /** One class's shared counters (also {@link OpenLoad}'s). */
    static final class Tally {
        final AtomicInteger next = new AtomicInteger();
        final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>();

        /** A request succeeded; {@code recorded}: it counts in the window. */
        void succeeded(boolean recorded, long latencyNanos, int index, Served served) {
            succeeded.incrementAndGet();
            if (recorded) {
                completions.add(new Completion(latencyNanos, index, served));
            }
        }

        void failed(Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e.toString());
        }

        ClassRun run() {
            return new ClassRun(List.copyOf(completions), succeeded.get(), errors.get(), firstError.get());
        }
    }
}
