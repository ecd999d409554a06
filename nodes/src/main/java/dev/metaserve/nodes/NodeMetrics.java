package dev.metaserve.nodes;

import dev.metaserve.accelerators.BatcherListener;
import dev.metaserve.accelerators.Plan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters: rows per batch and queue delay (both tagged with the batching setting), queue depth, and requests
 * refused for a full queue. Fed by the batchers through {@link #listenerFor}. In Prometheus text they are
 * {@code node_batch_size_rows}, {@code node_queue_delay_seconds} (histograms), {@code node_queue_depth} and
 * {@code node_rejected_total}. The last two state their unit (requests) in the description rather than as a base
 * unit, since the Prometheus naming would append it to the name ({@code node_queue_depth_requests}).
 */
public final class NodeMetrics {
    public static final String BATCH_SIZE = "node.batch.size";
    public static final String QUEUE_DELAY = "node.queue.delay";
    public static final String QUEUE_DEPTH = "node.queue.depth";
    public static final String REJECTED = "node.rejected";

    private final MeterRegistry registry;
    private final Counter rejectedQueueFull;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rejectedQueueFull = Counter.builder(REJECTED)
                .description("Requests refused with RESOURCE_EXHAUSTED because the queue was full (requests)")
                .tag("reason", "queue_full")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Reports the runner's live queue depth. */
    void bindQueueDepth(InferenceRunner runner) {
        Gauge.builder(QUEUE_DEPTH, runner, InferenceRunner::queueDepth)
                .description("Requests accepted and waiting for a batch, over all batching settings (requests)")
                .strongReference(true)
                .register(registry);
    }

    /** What the batcher running {@code batching} reports to. */
    BatcherListener listenerFor(Plan plan) {
        String tag = plan.batching().toString();
        String precision = plan.precision().toString();
        DistributionSummary batchSize = DistributionSummary.builder(BATCH_SIZE)
                .description("Rows (texts) in each batch the model ran")
                .baseUnit("rows")
                .tag("batching", tag)
                .tag("precision", precision)
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(1024.0)
                .register(registry);
        Timer queueDelay = Timer.builder(QUEUE_DELAY)
                .description("Time from a request's acceptance to the start of the batch it ran in")
                .tag("batching", tag)
                .tag("precision", precision)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        return new BatcherListener() {
            @Override
            public void batchRan(int rows, int items) {
                batchSize.record(rows);
            }

            @Override
            public void queued(long nanos) {
                queueDelay.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void rejected() {
                rejectedQueueFull.increment();
            }
        };
    }
}
