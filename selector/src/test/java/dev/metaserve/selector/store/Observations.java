package dev.metaserve.selector.store;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Valid observations for tests, all different from one another. */
final class Observations {
    /** A time with nanoseconds, which the store keeps to the microsecond. */
    static final Instant START = Instant.parse("2026-03-01T12:00:00.123456789Z");

    private Observations() {}

    static TaskProfile embeddingTask(int inputTokens) {
        return new TaskProfile("all-minilm-l6-v2", TaskProfile.EMBEDDING, TaskProfile.PROSE, inputTokens, 0, 8, 4, Objective.LATENCY, 0.01);
    }

    static TaskProfile generationTask(int outputTokens) {
        return new TaskProfile("austen-lm", TaskProfile.TEXT_GENERATION, TaskProfile.REPETITIVE, 32, outputTokens, 1, 1, Objective.THROUGHPUT,
                0.05);
    }

    static HardwareProfile node(String id, int threads) {
        return new HardwareProfile(id, threads, 2, 4096, 0, "test node, 2 cores");
    }

    static Measurement measurement(int sampleCount) {
        return new Measurement(3.25, 5.5, 9.75, 120.5, 0, 0.0021, sampleCount);
    }

    /** Observation {@code i} (ids 0): embeddings and generation, several plans and nodes, sweep and live. */
    static Observation number(int i) {
        boolean generation = i % 3 == 2;
        TaskProfile task = generation ? generationTask(16 + i) : embeddingTask(8 + i);
        Plan plan = switch (i % 4) {
            case 0 -> Plan.DEFAULT;
            case 1 -> new Plan(new Batching.Dynamic(8, 2000), Precision.INT8);
            case 2 -> new Plan(Batching.NONE, Precision.FP32, new Decoding.Draft(4));
            default -> new Plan(new Batching.Dynamic(16, 500), Precision.FP32, new Decoding.Ngram(3, 2));
        };
        Measurement m = new Measurement(2 + i * 0.1, 4 + i * 0.1, 8 + i * 0.1, 100 + i, generation ? 250.5 + i : 0,
                i % 4 == 1 ? 0.0123 : 0, 50 + i);
        return Observation.of(task, plan, node("node-" + (i % 2), 1 + i % 2), m,
                START.plusSeconds(i).plusNanos(i), i % 2 == 0 ? Source.SWEEP : Source.LIVE);
    }

    static List<Observation> numbers(int fromInclusive, int toExclusive) {
        List<Observation> list = new ArrayList<>();
        for (int i = fromInclusive; i < toExclusive; i++) {
            list.add(number(i));
        }
        return list;
    }
}
