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

    /**
     * @param requests   measured requests; the run ends when they are sent or {@code maxSeconds} has passed
     * @param maxSeconds a hard bound on the measured part; a run never goes on longer
     */
    public record Settings(int concurrency, int requests, int warmupRequests, double maxSeconds) {
        public Settings {
            if (concurrency < 1 || requests < 1 || warmupRequests < 0 || !(maxSeconds > 0)) {
                throw new IllegalArgumentException("concurrency and requests must be at least 1, warm-up at least 0"
                        + " and the time bound positive");
            }
        }

        /** A run bounded by count, with a time bound as a safety net. */
        public static Settings count(int concurrency, int requests, int warmupRequests, double maxSeconds) {
            return new Settings(concurrency, requests, warmupRequests, maxSeconds);
        }

        /** A run bounded by time: as many requests as fit in {@code seconds}, up to a ceiling. */
        public static Settings duration(int concurrency, double seconds, int warmupRequests) {
            return new Settings(concurrency, MAX_REQUESTS, warmupRequests, seconds);
        }
    }

    /** Ceiling of a duration-bounded run, so that its latency array stays a bounded size. */
    static final int MAX_REQUESTS = 2_000_000;

    private LoadGenerator() {}

    public static LatencyStats run(Target target, List<String> sentences, Settings settings) throws Exception {
        if (settings.warmupRequests() > 0) {
            drive(target, sentences, settings.concurrency(), settings.warmupRequests(), settings.maxSeconds());
        }
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
