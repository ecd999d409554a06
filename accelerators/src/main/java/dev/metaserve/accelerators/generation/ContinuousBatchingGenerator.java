package dev.metaserve.accelerators.generation;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.QueueFullException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A {@link Generator} with continuous batching: one decoding thread; every step it admits waiting jobs (up to
 * {@link Settings#maxBatchSize} running) and prefills them, then runs one decoding step for all running jobs together
 * ({@link DecodingStep}: one batched target pass, speculative proposals included), hands each job its tokens and
 * drops the jobs that ended. A job therefore joins and leaves the batch at any step. The engine does not own the
 * models: close them after closing it.
 */
public final class ContinuousBatchingGenerator implements Generator {
    /**
     * @param maxBatchSize  most jobs decoded together
     * @param queueCapacity most jobs waiting to be admitted; one more is refused with {@link QueueFullException}
     */
    public record Settings(int maxBatchSize, int queueCapacity) {
        public Settings {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("max batch size must be at least 1, was " + maxBatchSize);
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queue capacity must be at least 1, was " + queueCapacity);
            }
        }
    }

    /** What the engine did since it started (all jobs). */
    public record Totals(long steps, long targetPasses, long draftPasses, long proposedTokens, long acceptedTokens,
                         long generatedTokens) {}

    private final CausalLm target;
    private final CausalLm draft;
    private final Settings settings;
    private final DecodingStep decoding;
    private final BlockingQueue<ActiveJob> waiting;
    /** Decoding thread only; in admission order, so the models see the same caches in the same order step by step. */
    private final List<ActiveJob> running = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Totals totals = new Totals(0, 0, 0, 0, 0, 0);

    /**
     * @param draft the draft model for {@code draft(k)} decoding, or null (such jobs are then refused); it must have
     *              the target's vocabulary
     */
    public ContinuousBatchingGenerator(CausalLm target, CausalLm draft, Settings settings) {
        this(target, draft, settings, RejectionSampling.INSTANCE);
    }

    ContinuousBatchingGenerator(CausalLm target, CausalLm draft, Settings settings, Verifier verifier) {
        if (target == null || settings == null) {
            throw new IllegalArgumentException("target model and settings must not be null");
        }
        if (draft != null && draft.vocabularySize() != target.vocabularySize()) {
            throw new IllegalArgumentException("the draft model's vocabulary (" + draft.vocabularySize()
                    + " tokens) differs from the target's (" + target.vocabularySize() + ")");
        }
        this.target = target;
        this.draft = draft;
        this.settings = settings;
        this.decoding = new DecodingStep(target, draft, verifier);
        this.waiting = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::decodeUntilClosed, "generation-decoder");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public Cancellable submit(GenerationJob job, TokenSink sink) {
        if (closed) {
            throw new GeneratorClosedException();
        }
        check(job);
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null");
        }
        ActiveJob active = new ActiveJob(job, sink, target.contextLength());
        if (!waiting.offer(active)) {
            throw new QueueFullException(settings.queueCapacity());
        }
        if (closed && waiting.remove(active)) {
            throw new GeneratorClosedException(); // closed while we queued: nobody would take it
        }
        return () -> {
            active.cancelled = true;
            waiting.remove(active);
        };
    }

    private void check(GenerationJob job) {
        int[] prompt = job.promptTokens();
        if (prompt.length >= target.contextLength()) {
            throw new IllegalArgumentException("the prompt of " + prompt.length + " tokens leaves no room in the "
                    + "model's context of " + target.contextLength() + " tokens");
        }
        for (int token : prompt) {
            if (token < 0 || token >= target.vocabularySize()) {
                throw new IllegalArgumentException("prompt token " + token + " is outside the vocabulary [0, "
                        + target.vocabularySize() + ")");
            }
        }
        if (job.decoding() instanceof Decoding.Draft && draft == null) {
            throw new IllegalArgumentException("decoding " + job.decoding() + " needs a draft model; this generator "
                    + "has none (use plain or ngram decoding)");
        }
    }

    @Override
    public int contextLength() {
        return target.contextLength();
    }

    /** Jobs waiting to be admitted. */
    public int queueDepth() {
        return waiting.size();
    }

    public Totals totals() {
        return totals;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void decodeUntilClosed() {
        try {
            while (!closed) {
                try {
                    // with nothing running, sleep until a job comes
                    step(running.isEmpty() ? waiting.take() : null);
                } catch (RuntimeException e) { // a bug of ours: fail the jobs it touched, serve the next ones
                    running.forEach(job -> fail(job, e));
                    running.clear();
                }
            }
        } catch (InterruptedException e) {
            // closed
        } finally {
            closed = true;
            List<ActiveJob> left = new ArrayList<>(running);
            waiting.drainTo(left);
            running.clear();
            GeneratorClosedException closedError = new GeneratorClosedException();
            left.forEach(job -> fail(job, closedError));
        }
    }

    /** @param taken a job already taken from the queue, or null */
    private void step(ActiveJob taken) {
        running.removeIf(job -> job.cancelled);
        List<ActiveJob> admitted = new ArrayList<>();
        ActiveJob next = taken;
        while (running.size() + admitted.size() < settings.maxBatchSize()) {
            if (next == null) {
                next = waiting.poll();
            }
            if (next == null) {
                break;
            }
            if (!next.cancelled) {
                admitted.add(next);
            }
            next = null;
        }
        try {
            for (ActiveJob job : admitted) {
                job.targetCache = target.newCache();
                job.draftCache = job.drafts() ? draft.newCache() : null;
            }
            decoding.prefill(admitted);
            running.addAll(admitted);
        } catch (RuntimeException e) {
            admitted.forEach(job -> fail(job, e));
        }
        if (running.isEmpty()) {
            return;
        }
        List<ActiveJob> batch = List.copyOf(running);
        List<Verdict> verdicts;
        try {
            verdicts = decoding.run(batch);
        } catch (RuntimeException e) {
            running.clear();
            batch.forEach(job -> fail(job, e));
            return;
        }
        List<Delivery> deliveries = new ArrayList<>(batch.size());
        long generated = 0;
        for (int i = 0; i < batch.size(); i++) {
            Delivery delivery = take(batch.get(i), verdicts.get(i));
            generated += delivery.tokens().length;
            deliveries.add(delivery);
        }
        count(generated); // before the sinks hear of it, so a finished job's caller sees current totals
        for (Delivery delivery : deliveries) {
            if (!deliver(delivery)) {
                running.remove(delivery.job());
            }
        }
    }

    /** A step's tokens for one job, and how the job ends (null: it goes on). */
    private record Delivery(ActiveJob job, int[] tokens, FinishReason finish) {}

    /** Appends the verdict's tokens to the job up to end-of-text, its token limit or the context's end. */
    private Delivery take(ActiveJob job, Verdict verdict) {
        int[] produced = new int[verdict.accepted() + 1];
        System.arraycopy(job.proposals, 0, produced, 0, verdict.accepted());
        produced[verdict.accepted()] = verdict.next();
        int count = 0;
        FinishReason finish = null;
        for (int token : produced) {
            if (token == target.endOfTextId()) {
                finish = FinishReason.STOP;
                break;
            }
            job.tokens[job.length++] = token;
            job.generated++;
            count++;
            if (job.remainingTokens() == 0 || job.length == target.contextLength()) {
                finish = FinishReason.LENGTH;
                break;
            }
        }
        return new Delivery(job, Arrays.copyOfRange(job.tokens, job.length - count, job.length), finish);
    }

    /** Hands the tokens to the job's sink; false when the job has ended (or was cancelled). */
    private boolean deliver(Delivery delivery) {
        ActiveJob job = delivery.job();
        FinishReason finish = delivery.finish();
        if (job.cancelled) {
            return false;
        }
        try {
            if (delivery.tokens().length > 0 && !job.sink.onTokens(delivery.tokens())) {
                finish = FinishReason.STOP;
            }
            if (finish != null && !job.cancelled) {
                job.sink.onFinished(finish, job.stats());
            }
        } catch (RuntimeException e) {
            fail(job, e);
            return false;
        }
        return finish == null && !job.cancelled;
    }

    private void count(long generated) {
        Totals t = totals;
        totals = new Totals(t.steps() + 1, decoding.targetPasses, decoding.draftPasses, decoding.proposedTokens,
                decoding.acceptedTokens, t.generatedTokens() + generated);
    }

    private static void fail(ActiveJob job, Throwable error) {
        if (job.cancelled) {
            return;
        }
        try {
            job.sink.onError(error);
        } catch (RuntimeException ignored) {
            // the sink's own failure has nowhere further to go
        }
    }
}
