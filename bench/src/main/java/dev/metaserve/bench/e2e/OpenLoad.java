package dev.metaserve.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Several task classes at once, each by open arrivals: requests arrive at the class's rate (Poisson, from a seeded
 * generator, so every mode gets the same arrival times) whether or not earlier ones were answered. A mode that serves
 * one class faster therefore does not send more of it to compete with the others, as closed-loop clients do. Latency
 * runs from the request's arrival, so a request that waited for a free sender counts its wait. Requests that arrive
 * within the window are recorded whenever they complete; none arrives after it.
 */
final class OpenLoad {
    /** Requests of one class in flight at most; later arrivals wait for a sender (and count the wait). */
    static final int MAX_IN_FLIGHT_PER_CLASS = 64;
    private static final long JOIN_TIMEOUT_SECONDS = 300;

    private OpenLoad() {}

    /**
     * @param seed seeds each class's arrival times (class {@code i} of {@code loads} by {@code seed + i})
     * @return per class name, in the order given, what its requests got
     */
    static Map<String, MixedLoad.ClassRun> run(List<MixedLoad.ClassLoad> loads, Duration warmup, Duration measure,
            long seed) throws InterruptedException {
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        Map<String, MixedLoad.Tally> tallies = new LinkedHashMap<>();
        List<Thread> schedulers = new ArrayList<>();
        List<ExecutorService> senders = new ArrayList<>();
        try {
            for (int i = 0; i < loads.size(); i++) {
                MixedLoad.ClassLoad load = loads.get(i);
                MixedLoad.Tally tally = new MixedLoad.Tally();
                tallies.put(load.taskClass().name(), tally);
                ExecutorService pool = Executors.newFixedThreadPool(MAX_IN_FLIGHT_PER_CLASS, runnable -> {
                    Thread thread = new Thread(runnable, "e2e-sender");
                    thread.setDaemon(true);
                    return thread;
                });
                senders.add(pool);
                SplittableRandom arrivals = new SplittableRandom(seed + i);
                Thread scheduler = new Thread(() -> schedule(load, tally, pool, arrivals, start, windowStart,
                        windowEnd), "e2e-arrivals-" + load.taskClass().name());
                scheduler.setDaemon(true);
                schedulers.add(scheduler);
                scheduler.start();
            }
            for (Thread scheduler : schedulers) {
                scheduler.join();
            }
            for (ExecutorService pool : senders) {
                pool.shutdown();
                if (!pool.awaitTermination(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("requests still open " + JOIN_TIMEOUT_SECONDS
                            + " s after the window");
                }
            }
        } finally {
            schedulers.forEach(Thread::interrupt);
            senders.forEach(ExecutorService::shutdownNow);
        }
        Map<String, MixedLoad.ClassRun> runs = new LinkedHashMap<>();
        tallies.forEach((name, tally) -> runs.put(name, tally.run()));
        return runs;
    }

    /** Hands each arrival to a sender at its time; exponential gaps at the class's rate. */
    private static void schedule(MixedLoad.ClassLoad load, MixedLoad.Tally tally, ExecutorService pool,
            SplittableRandom arrivals, long start, long windowStart, long windowEnd) {
        double meanGapNanos = 1e9 / load.taskClass().ratePerSecond();
        long arrival = start;
        while (true) {
            arrival += (long) (-Math.log(1 - arrivals.nextDouble()) * meanGapNanos);
            if (arrival >= windowEnd) {
                return;
            }
            long wait;
            while ((wait = arrival - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            long at = arrival;
            int index = tally.next.getAndIncrement();
            pool.execute(() -> send(load.call(), tally, index, at, at >= windowStart));
        }
    }

    private static void send(MixedLoad.Call call, MixedLoad.Tally tally, int index, long arrival, boolean recorded) {
        try {
            Served served = call.send(index);
            tally.succeeded(recorded, System.nanoTime() - arrival, index, served);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            tally.failed(e);
        }
    }
}
