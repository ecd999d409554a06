package dev.metaserve.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code concurrency} clients each send a request, wait for the answer, and send the
 * next, until the request count is reached or the time bound passes, whichever is first. Request i
 * carries sentence i modulo the list, so two runs with the same settings send the same requests.
 */
public final class LoadGenerator {

    /** @param maxSeconds a hard bound on the measured part; a run never goes on longer */
    public record Settings(int concurrency, int requests, int warmupRequests, double maxSeconds) {}

    private LoadGenerator() {}

    public static LatencyStats run(Target target, List<String> sentences, Settings settings) throws Exception {
        drive(target, sentences, settings.concurrency(), settings.warmupRequests(), settings.maxSeconds());
        return drive(target, sentences, settings.concurrency(), settings.requests(), settings.maxSeconds());
    }

    private static LatencyStats drive(Target target, List<String> sentences, int concurrency, int requests,
                                      double maxSeconds) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong firstError = new AtomicLong();
        long[] latencies = new long[requests];
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + (long) (maxSeconds * 1e9);
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> futures = new ArrayList<>();
        List<Throwable> sample = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int c = 0; c < concurrency; c++) {
                futures.add(clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests && System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        try {
                            target.call(sentences.get(i % sentences.size()));
                            latencies[done.getAndIncrement()] = System.nanoTime() - t0;
                        } catch (Exception e) {
                            if (errors.getAndIncrement() == 0) {
                                firstError.set(System.nanoTime());
                                sample.add(e);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
            clients.awaitTermination(10, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!sample.isEmpty()) {
            System.err.println(target.name() + ": " + errors.get() + " errors, first: " + sample.get(0));
        }
        return LatencyStats.of(java.util.Arrays.copyOf(latencies, done.get()), errors.get(), seconds);
    }
}
