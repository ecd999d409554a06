package dev.metaserve.selector.testing;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Measurement;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.Source;
import dev.metaserve.selector.store.TaskProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A made-up history for tests, shaped like the sweep's grid (an embedding model and a language model, three nodes,
 * both objectives, two tolerances) with latencies from a formula in which the best plan depends on feature
 * interactions: batching pays only when enough rows are in flight to fill a batch, int8 only on long inputs (and
 * loses quality), n-gram drafting only on repetitive input at low concurrency, the distant node only never.
 * Latencies get 2% log-normal noise.
 */
public final class SyntheticHistory {
    public static final String ENCODER = "encoder";
    public static final String LM = "tiny-lm";
    public static final List<HardwareProfile> NODES = List.of(
            new HardwareProfile("fast", 2, 2, 1024, 0, "two threads"),
            new HardwareProfile("single", 1, 1, 512, 0, "one core"),
            new HardwareProfile("far", 2, 2, 1024, 20, "two threads, 20 ms away"));
    public static final List<Plan> EMBEDDING_PLANS = List.of(Plan.parse("batching=none,precision=fp32"),
            Plan.parse("batching=none,precision=int8"), Plan.parse("batching=dynamic(8,1000),precision=fp32"),
            Plan.parse("batching=dynamic(8,1000),precision=int8"), Plan.parse("batching=dynamic(32,5000),precision=fp32"));
    public static final List<Plan> GENERATION_PLANS = List.of(Plan.parse("decoding=plain"),
            Plan.parse("decoding=draft(4)"), Plan.parse("decoding=ngram(4,2)"));
    public static final List<Double> TOLERANCES = List.of(0.0, 0.05);
    private static final Instant TIME = Instant.parse("2026-11-01T00:00:00Z");

    private SyntheticHistory() {}

    public static List<Observation> generate(long seed) {
        return generate(seed, 0.02);
    }

    /** As {@link #generate(long)} with another standard deviation of the log-normal noise. */
    public static List<Observation> generate(long seed, double noise) {
        Random random = new Random(seed);
        List<Observation> out = new ArrayList<>();
        for (int tokens : List.of(16, 128)) {
            for (int texts : List.of(1, 8)) {
                for (int concurrency : List.of(1, 4, 16)) {
                    for (HardwareProfile node : NODES) {
                        for (Plan plan : EMBEDDING_PLANS) {
                            double latency = embeddingLatency(tokens, texts, concurrency, node, plan)
                                    * Math.exp(noise * random.nextGaussian());
                            double quality = plan.toString().contains("int8") ? 0.02 : 0;
                            add(out, ENCODER, TaskProfile.EMBEDDING, TaskProfile.PROSE, tokens, 0, texts, concurrency,
                                    node, plan, latency, quality);
                        }
                    }
                }
            }
        }
        for (String kind : List.of(TaskProfile.PROSE, TaskProfile.REPETITIVE)) {
            for (int prompt : List.of(16, 128)) {
                for (int output : List.of(16, 64)) {
                    for (int concurrency : List.of(1, 8)) {
                        for (HardwareProfile node : NODES) {
                            for (Plan plan : GENERATION_PLANS) {
                                double latency = generationLatency(kind, prompt, output, concurrency, node, plan)
                                        * Math.exp(noise * random.nextGaussian());
                                add(out, LM, TaskProfile.TEXT_GENERATION, kind, prompt, output, 1, concurrency, node,
                                        plan, latency, 0);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    static double embeddingLatency(int tokens, int texts, int concurrency, HardwareProfile node, Plan plan) {
        double perToken = node.intraOpThreads() == 1 ? 0.02 : 0.012;
        double compute = tokens * texts * perToken * (plan.toString().contains("int8") && tokens >= 128 ? 0.6 : 1.0);
        double load = Math.max(1, concurrency / (double) node.intraOpThreads());
        double latency = 1 + node.networkDelayMs();
        if (plan.toString().contains("dynamic(8")) {
            boolean fills = concurrency * texts >= 8;
            latency += (fills ? 0.2 : 1.0) + compute * load * (fills ? 0.45 : 1.0);
        } else if (plan.toString().contains("dynamic(32")) {
            boolean fills = concurrency * texts >= 32;
            latency += (fills ? 0.5 : 5.0) + compute * load * (fills ? 0.35 : 1.0);
        } else {
            latency += compute * load;
        }
        return latency;
    }

    static double generationLatency(String kind, int prompt, int output, int concurrency, HardwareProfile node,
            Plan plan) {
        double perToken = node.intraOpThreads() == 1 ? 6 : 4;
        boolean repetitive = kind.equals(TaskProfile.REPETITIVE);
        double factor = 1;
        if (plan.toString().contains("draft")) {
            factor = output >= 64 ? 0.8 : 1.05;
        } else if (plan.toString().contains("ngram")) {
            factor = repetitive ? 0.6 : 1.1;
        }
        if (concurrency > 1) {
            factor = 1 + (factor - 1) * 0.3;
        }
        return node.networkDelayMs() + prompt * 0.2 + output * perToken * factor * Math.sqrt(concurrency);
    }

    private static void add(List<Observation> out, String model, String taskKind, String inputKind, int tokens,
            int output, int texts, int concurrency, HardwareProfile node, Plan plan, double latency, double quality) {
        double throughput = concurrency * 1000 / latency;
        Measurement m = new Measurement(latency, latency * 1.3, latency * 1.8, throughput,
                output == 0 ? 0 : output * concurrency * 1000 / latency, quality, 100);
        for (Objective objective : Objective.values()) {
            for (double tolerance : TOLERANCES) {
                TaskProfile task = new TaskProfile(model, taskKind, inputKind, tokens, output, texts, concurrency,
                        objective, tolerance);
                out.add(Observation.of(task, plan, node, m, TIME, Source.SWEEP));
            }
        }
    }
}
