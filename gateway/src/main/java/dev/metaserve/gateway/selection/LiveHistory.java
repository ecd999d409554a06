package dev.metaserve.gateway.selection;

import dev.metaserve.gateway.config.GatewayConfig;
import dev.metaserve.gateway.config.SelectorConfig;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.Measurement;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.ObservationStore;
import dev.metaserve.selector.store.Source;
import dev.metaserve.selector.store.StoreLocation;
import dev.metaserve.selector.store.TaskProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Served requests into the history store ({@code Source.LIVE}): each request is added to its {@link LiveRow} and every
 * {@code gateway.selector.flush-interval} the rows are written in one batch, each with the latency percentiles, rates
 * and request count of its requests. Adding never blocks on the database. A store that cannot be opened or written
 * turns recording off or keeps the batch for the next flush (up to {@code max-pending} requests); the gateway serves on
 * either way, and {@code /admin/selector} says why.
 */
@Startup
@ApplicationScoped
public class LiveHistory {
    private static final Logger LOG = Logger.getLogger(LiveHistory.class);

    private final SelectorConfig config;
    private final ObservationStore store;
    private final String location;
    private final Counter written;
    private final Counter dropped;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong rowsWritten = new AtomicLong();
    /** Guarded by this. */
    private Map<LiveRow, Requests> rows = new HashMap<>();
    private volatile String lastError;

    /** The requests of one row since the last flush. */
    private static final class Requests {
        private double[] latenciesMs = new double[8];
        private int count;
        private long tokens;
        private final double qualityDelta;

        Requests(double qualityDelta) {
            this.qualityDelta = qualityDelta;
        }

        void add(double latencyMs, int generatedTokens) {
            if (count == latenciesMs.length) {
                latenciesMs = Arrays.copyOf(latenciesMs, count * 2);
            }
            latenciesMs[count++] = latencyMs;
            tokens += generatedTokens;
        }

        Measurement measurement(TaskProfile task) {
            double[] sorted = Arrays.copyOf(latenciesMs, count);
            Arrays.sort(sorted);
            double sum = 0;
            for (double latency : sorted) {
                sum += latency;
            }
            double meanMs = Math.max(sum / count, 1e-6);
            // Little's law at the task's concurrency, the scale the offline history and the policy use
            double throughput = task.concurrency() * 1000.0 / meanMs;
            double tokensPerSecond = task.concurrency() * (tokens / (double) count) * 1000.0 / meanMs;
            return new Measurement(rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99), throughput,
                    tokensPerSecond, qualityDelta, count);
        }

        private static double rank(double[] sorted, double q) {
            return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    public LiveHistory(GatewayConfig gatewayConfig, MeterRegistry meters) {
        this.config = gatewayConfig.selector();
        this.written = Counter.builder("gateway.selector.history.requests")
                .description("Served requests written to the selector's history store").tag("outcome", "written")
                .register(meters);
        this.dropped = Counter.builder("gateway.selector.history.requests")
                .description("Served requests written to the selector's history store").tag("outcome", "dropped")
                .register(meters);
        StoreLocation where = config.jdbcUrl()
                .<StoreLocation>map(url -> StoreLocation.jdbc(url, config.jdbcUser().orElse(null),
                        System.getenv(StoreLocation.PASSWORD_VARIABLE)))
                .orElseGet(() -> StoreLocation.embedded(config.store().toAbsolutePath()));
        this.location = where.toString();
        ObservationStore opened = null;
        if (config.enabled() && config.record()) {
            try {
                opened = ObservationStore.open(where);
                LOG.infof("selector history: %s", where);
            } catch (RuntimeException e) {
                lastError = "cannot open the history store " + where + ": " + e.getMessage();
                LOG.error(lastError + "; served requests are not recorded", e);
            }
        }
        this.store = opened;
    }

    /** Whether requests are being recorded. */
    public boolean recording() {
        return store != null;
    }

    /**
     * Adds a served request.
     *
     * @param qualityDelta the candidate's quality loss as the selector model knows it (measured by the sweep; a live
     *                     request has no fp32 reference to compare with); not recorded when unknown (infinite)
     */
    public void add(TaskProfile task, Candidate candidate, double latencyMs, int generatedTokens, double qualityDelta) {
        if (store == null) {
            return;
        }
        if (!Double.isFinite(qualityDelta) || !Double.isFinite(latencyMs) || latencyMs < 0) {
            dropped.increment();
            return;
        }
        if (pending.incrementAndGet() > config.maxPending()) {
            pending.decrementAndGet();
            dropped.increment();
            return;
        }
        LiveRow key = LiveRow.of(task, candidate);
        synchronized (this) {
            rows.computeIfAbsent(key, k -> new Requests(qualityDelta)).add(latencyMs, generatedTokens);
        }
    }

    /** Writes the rows gathered since the last flush; on failure keeps them for the next one. */
    @Scheduled(every = "${gateway.selector.flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "selector-history-flush")
    public synchronized void flush() {
        if (store == null || rows.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<Observation> batch = new ArrayList<>(rows.size());
        int requests = 0;
        for (Map.Entry<LiveRow, Requests> e : rows.entrySet()) {
            LiveRow row = e.getKey();
            Requests r = e.getValue();
            requests += r.count;
            batch.add(Observation.of(row.task(), row.candidate().plan(), row.candidate().hardware(),
                    r.measurement(row.task()), now, Source.LIVE));
        }
        try {
            store.appendAll(batch);
        } catch (RuntimeException e) {
            lastError = "writing " + batch.size() + " rows to " + location + " failed at " + now + ": " + e.getMessage();
            LOG.warn(lastError + "; kept for the next flush");
            return;
        }
        rows = new HashMap<>();
        pending.addAndGet(-requests);
        written.increment(requests);
        rowsWritten.addAndGet(batch.size());
    }

    /** For {@code /admin/selector}. */
    public HistoryStatus status() {
        return new HistoryStatus(store != null, location, rowsWritten.get(), (long) written.count(), pending.get(),
                (long) dropped.count(), lastError);
    }

    /**
     * @param recording       whether served requests are recorded
     * @param location        the store (never with a password)
     * @param rowsWritten     rows written since the gateway started
     * @param requestsWritten requests those rows hold
     * @param pending         requests waiting for the next flush
     * @param dropped         requests not recorded (over {@code max-pending}, or their quality unknown)
     * @param lastError       the last failure to open or write the store, or null
     */
    public record HistoryStatus(boolean recording, String location, long rowsWritten, long requestsWritten,
            int pending, long dropped, String lastError) {}

    @PreDestroy
    void close() {
        if (store == null) {
            return;
        }
        flush();
        store.close();
    }
}
