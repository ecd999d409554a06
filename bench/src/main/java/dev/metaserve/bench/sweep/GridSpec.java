package dev.metaserve.bench.sweep;

import dev.metaserve.accelerators.Plan;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The axes of a sweep. Embedding cells: node profile x text length x texts per request x concurrency x plan. Generation
 * cells: node profile x prompt kind x prompt tokens x output tokens x concurrency x plan. An empty axis leaves that
 * model out.
 */
public record GridSpec(List<NodeProfile> profiles,
                       List<String> embeddingLengths, List<Integer> textsPerRequest, List<Integer> embeddingConcurrency,
                       List<Plan> embeddingPlans,
                       List<String> promptKinds, List<Integer> promptTokens, List<Integer> outputTokens,
                       List<Integer> generationConcurrency, List<Plan> generationPlans) {

    public static final List<Plan> EMBEDDING_PLANS = plans("batching=none,precision=fp32",
            "batching=none,precision=int8",
            "batching=dynamic(8,1000),precision=fp32", "batching=dynamic(8,1000),precision=int8",
            "batching=dynamic(32,5000),precision=fp32", "batching=dynamic(32,5000),precision=int8");
    public static final List<Plan> GENERATION_PLANS = plans("decoding=plain", "decoding=draft(2)", "decoding=draft(4)",
            "decoding=ngram(4,2)");

    /** About 35 minutes on the 2-core development machine: 3 profiles x (72 embedding + 64 generation cells). */
    static final GridSpec DEFAULT = new GridSpec(
            List.of(NodeProfile.named("fast"), NodeProfile.named("single"), NodeProfile.named("far")),
            List.of("short", "long"), List.of(1, 8), List.of(1, 8, 32), EMBEDDING_PLANS,
            List.of(GenerationTexts.PROSE, GenerationTexts.REPETITIVE), List.of(16, 128), List.of(16, 64),
            List.of(1, 8), GENERATION_PLANS);

    /** A few minutes: every profile, a corner of each axis. */
    static final GridSpec SMALL = new GridSpec(DEFAULT.profiles,
            List.of("short"), List.of(1), List.of(1, 8),
            plans("batching=none,precision=fp32", "batching=none,precision=int8",
                    "batching=dynamic(8,1000),precision=fp32", "batching=dynamic(8,1000),precision=int8"),
            List.of(GenerationTexts.PROSE), List.of(16), List.of(16), List.of(1),
            plans("decoding=plain", "decoding=ngram(4,2)"));

    public GridSpec {
        profiles = List.copyOf(profiles);
        embeddingLengths = List.copyOf(embeddingLengths);
        textsPerRequest = List.copyOf(textsPerRequest);
        embeddingConcurrency = List.copyOf(embeddingConcurrency);
        embeddingPlans = List.copyOf(embeddingPlans);
        promptKinds = List.copyOf(promptKinds);
        promptTokens = List.copyOf(promptTokens);
        outputTokens = List.copyOf(outputTokens);
        generationConcurrency = List.copyOf(generationConcurrency);
        generationPlans = List.copyOf(generationPlans);
        for (Plan plan : generationPlans) {
            if (!plan.equals(Plan.DEFAULT.withDecoding(plan.decoding()))) {
                throw new IllegalArgumentException("generation plan '" + plan + "' may choose only the decoding:"
                        + " generation batches continuously in fp32");
            }
        }
        for (List<Integer> axis : List.of(textsPerRequest, embeddingConcurrency, promptTokens, outputTokens,
                generationConcurrency)) {
            if (axis.stream().anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException("grid counts must be >= 1, was " + axis);
            }
        }
    }

    /** The grid called {@code default} or {@code small}. */
    static GridSpec named(String name) {
        return switch (name) {
            case "default" -> DEFAULT;
            case "small" -> SMALL;
            default -> throw new IllegalArgumentException("grid '" + name + "' is neither 'default' nor 'small'");
        };
    }

    static List<Plan> plans(String... texts) {
        return Arrays.stream(texts).map(Plan::parse).toList();
    }

    GridSpec withProfiles(List<NodeProfile> chosen) {
        return new GridSpec(chosen, embeddingLengths, textsPerRequest, embeddingConcurrency, embeddingPlans,
                promptKinds, promptTokens, outputTokens, generationConcurrency, generationPlans);
    }

    /** Only the models named ({@value Workload#ENCODER}, {@value Workload#LANGUAGE_MODEL}). */
    GridSpec withModels(Set<String> models) {
        for (String model : models) {
            if (!model.equals(Workload.ENCODER) && !model.equals(Workload.LANGUAGE_MODEL)) {
                throw new IllegalArgumentException("model '" + model + "' is not one the sweep measures: "
                        + Workload.ENCODER + ", " + Workload.LANGUAGE_MODEL);
            }
        }
        boolean encoder = models.contains(Workload.ENCODER);
        boolean lm = models.contains(Workload.LANGUAGE_MODEL);
        return new GridSpec(profiles, encoder ? embeddingLengths : List.of(), textsPerRequest, embeddingConcurrency,
                embeddingPlans, lm ? promptKinds : List.of(), promptTokens, outputTokens, generationConcurrency,
                generationPlans);
    }

    GridSpec withEmbeddingConcurrency(List<Integer> values) {
        return new GridSpec(profiles, embeddingLengths, textsPerRequest, values, embeddingPlans, promptKinds,
                promptTokens, outputTokens, generationConcurrency, generationPlans);
    }

    GridSpec withGenerationConcurrency(List<Integer> values) {
        return new GridSpec(profiles, embeddingLengths, textsPerRequest, embeddingConcurrency, embeddingPlans,
                promptKinds, promptTokens, outputTokens, values, generationPlans);
    }

    GridSpec withEmbeddingPlans(List<Plan> plans) {
        return new GridSpec(profiles, embeddingLengths, textsPerRequest, embeddingConcurrency, plans, promptKinds,
                promptTokens, outputTokens, generationConcurrency, generationPlans);
    }

    GridSpec withGenerationPlans(List<Plan> plans) {
        return new GridSpec(profiles, embeddingLengths, textsPerRequest, embeddingConcurrency, embeddingPlans,
                promptKinds, promptTokens, outputTokens, generationConcurrency, plans);
    }

    /** Whether any cell needs the language model (its nodes then load it). */
    boolean generates() {
        return !promptKinds.isEmpty() && !generationPlans.isEmpty();
    }
}
