package dev.metaserve.selector.features;

import static dev.metaserve.selector.features.TaskDescriptors.flag;
import static dev.metaserve.selector.features.TaskDescriptors.log2;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;

/**
 * Numeric descriptors of a candidate (node and plan), and of how it meets the task: crossings that a tree would
 * otherwise have to find by several splits, e.g. how many rows a batch can gather at this concurrency, or whether
 * n-gram drafting meets repetitive input.
 */
public final class CandidateDescriptors {
    /** Names, in the order of {@link #of}. */
    public static final List<String> NAMES = List.of(
            "log2_threads", "log2_cores", "log2_memory_mb", "memory_limited", "log2_network_delay_ms",
            "int8", "batching_dynamic", "log2_max_batch", "log2_queue_delay_ms",
            "decoding_plain", "decoding_draft", "decoding_ngram", "proposed_k", "ngram_n",
            "x_log2_batch_fill", "x_log2_batch_wait_share", "x_int8_log2_tokens_per_request",
            "x_draft_log2_output", "x_ngram_repetitive", "x_log2_rows_per_thread", "x_log2_delay_over_work");

    private CandidateDescriptors() {}

    public static double[] of(TaskProfile t, Candidate c) {
        HardwareProfile h = c.hardware();
        Plan p = c.plan();
        boolean dynamic = p.batching() instanceof Batching.Dynamic;
        int maxBatch = p.batching() instanceof Batching.Dynamic d ? d.maxBatchSize() : 1;
        double queueDelayMs = p.batching() instanceof Batching.Dynamic d ? d.maxQueueDelayMicros() / 1000.0 : 0;
        Decoding decoding = p.decoding();
        boolean draft = decoding instanceof Decoding.Draft;
        boolean ngram = decoding instanceof Decoding.Ngram;
        double rowsInFlight = (double) t.concurrency() * t.textsPerRequest();
        double tokensPerRequest = (double) t.inputTokens() * t.textsPerRequest() + t.outputTokens();
        boolean int8 = p.precision() == Precision.INT8;
        return new double[] {
            log2(h.intraOpThreads()),
            log2(h.cpuCores()),
            log2(1.0 + h.memoryLimitMb()),
            flag(h.memoryLimitMb() > 0),
            log2(1.0 + h.networkDelayMs()),
            flag(int8),
            flag(dynamic),
            log2(maxBatch),
            log2(1.0 + queueDelayMs),
            flag(decoding instanceof Decoding.Plain),
            flag(draft),
            flag(ngram),
            decoding.proposed(),
            decoding instanceof Decoding.Ngram g ? g.n() : 0,
            dynamic ? log2(Math.min(maxBatch, rowsInFlight)) : 0,
            dynamic ? log2(1.0 + queueDelayMs) - log2(1.0 + tokensPerRequest / 100.0) : 0,
            int8 ? log2(tokensPerRequest) : 0,
            draft ? log2(1.0 + t.outputTokens()) : 0,
            flag(ngram && t.inputKind().equals(TaskProfile.REPETITIVE)),
            log2(rowsInFlight / h.intraOpThreads()),
            log2(1.0 + h.networkDelayMs()) - log2(1.0 + tokensPerRequest / 100.0),
        };
    }
}
