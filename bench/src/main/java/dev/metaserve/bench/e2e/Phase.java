package dev.metaserve.bench.e2e;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.bench.sweep.GridSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A part of the workload that one model serves, with the plans a request to it may name: the sweep's plans, which the
 * selector's history was measured under.
 */
public enum Phase {
    /** The sentence encoder over KServe v2 REST: plans of batching x precision. */
    EMBEDDING("all-minilm-l6-v2", GridSpec.EMBEDDING_PLANS),
    /** The language model over {@code /v1/completions}: plans of decoding only. */
    GENERATION("austen-kjv", GridSpec.GENERATION_PLANS);

    private final String model;
    private final List<Plan> plans;

    Phase(String model, List<Plan> plans) {
        this.model = model;
        this.plans = List.copyOf(plans);
    }

    public String model() {
        return model;
    }

    public List<Plan> plans() {
        return plans;
    }

    /** Lower-case name, as options and results spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The plan as this phase's requests name it: embeddings {@code batching=...,precision=...}, generation
     * {@code decoding=...} (a generation plan has only its decoding, and {@link Plan#toString} omits a plain one).
     */
    public String planText(Plan plan) {
        return this == GENERATION ? "decoding=" + plan.decoding() : plan.toString();
    }

    /** The phase named {@code embedding} or {@code generation}. */
    public static Phase named(String label) {
        return Arrays.stream(values()).filter(p -> p.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("phase '" + label + "' is neither 'embedding' nor"
                        + " 'generation'"));
    }
}
