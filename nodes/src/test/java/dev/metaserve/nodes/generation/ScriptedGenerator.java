package dev.metaserve.nodes.generation;

import dev.metaserve.accelerators.QueueFullException;
import dev.metaserve.accelerators.generation.FinishReason;
import dev.metaserve.accelerators.generation.GenerationJob;
import dev.metaserve.accelerators.generation.GenerationStats;
import dev.metaserve.accelerators.generation.TokenSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake engine at the edge of the tests: hands each job the scripted steps, one {@code onTokens} call per step, on its
 * own thread, then finishes with LENGTH (or STOP when the sink said stop). Speculative jobs report each step as
 * {@code k} proposed and the step's length minus one accepted. It can refuse jobs, and it can stop after the first
 * step and wait to be cancelled, or end a job with an error; it reports the queue depth it is told.
 */
public final class ScriptedGenerator implements QueuedGenerator {
    final List<GenerationJob> jobs = new CopyOnWriteArrayList<>();
    final CountDownLatch cancelled = new CountDownLatch(1);
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final int contextLength;
    public volatile int[][] steps = new int[0][];
    volatile RuntimeException refusal;
    volatile boolean waitForCancel;
    volatile boolean stoppedBySink;
    /** When set, the job ends with this error after its steps instead of finishing. */
    public volatile Throwable failAtEnd;
    /** True once closed. */
    public volatile boolean closed;
    /** What {@link #queueDepth()} reports. */
    public volatile int queueDepth;

    public ScriptedGenerator(int contextLength) {
        this.contextLength = contextLength;
    }

    static ScriptedGenerator full(int capacity) {
        ScriptedGenerator generator = new ScriptedGenerator(64);
        generator.refusal = new QueueFullException(capacity);
        return generator;
    }

    @Override
    public Cancellable submit(GenerationJob job, TokenSink sink) {
        if (refusal != null) {
            throw refusal;
        }
        jobs.add(job);
        int[][] script = steps;
        boolean hold = waitForCancel;
        CountDownLatch cancel = new CountDownLatch(1);
        thread.execute(() -> run(job, sink, script, hold, cancel));
        return () -> {
            cancel.countDown();
            cancelled.countDown();
        };
    }

    private void run(GenerationJob job, TokenSink sink, int[][] script, boolean hold, CountDownLatch cancel) {
        int generated = 0;
        int proposed = 0;
        int accepted = 0;
        int passes = 1;
        FinishReason reason = FinishReason.LENGTH;
        for (int[] step : script) {
            if (cancel.getCount() == 0 || generated >= job.maxTokens()) {
                break;
            }
            generated += step.length;
            passes++;
            if (job.decoding().proposed() > 0) {
                proposed += job.decoding().proposed();
                accepted += step.length - 1;
            }
            if (!sink.onTokens(step)) {
                stoppedBySink = true;
                reason = FinishReason.STOP;
                break;
            }
            if (hold) {
                try {
                    cancel.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // a cancelled sink hears nothing more
            }
        }
        if (cancel.getCount() == 0) {
            return;
        }
        if (failAtEnd != null) {
            sink.onError(failAtEnd);
            return;
        }
        sink.onFinished(reason, new GenerationStats(job.promptTokens().length, generated, proposed, accepted, passes));
    }

    @Override
    public int queueDepth() {
        return queueDepth;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }
}
