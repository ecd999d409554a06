package dev.metaserve.nodes.generation;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.generation.GenerationStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Generation meters, tagged with the kind of decoding ({@code plain}, {@code draft}, {@code ngram}): tokens generated,
 * and for speculative decoding tokens proposed and accepted (their ratio is the acceptance rate). In Prometheus text:
 * {@code node_generated_tokens_total}, {@code node_speculative_proposed_tokens_total},
 * {@code node_speculative_accepted_tokens_total}.
 */
public final class GenerationMetrics {
    public static final String GENERATED = "node.generated.tokens";
    public static final String PROPOSED = "node.speculative.proposed.tokens";
    public static final String ACCEPTED = "node.speculative.accepted.tokens";

    private final MeterRegistry registry;

    public GenerationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Decoding decoding, GenerationStats stats) {
        String kind = DecodingKind.of(decoding).tag();
        counter(GENERATED, "Tokens generated and handed to callers (end-of-text not counted)", kind)
                .increment(stats.generatedTokens());
        if (decoding.proposed() > 0) {
            counter(PROPOSED, "Tokens proposed by speculative decoding", kind).increment(stats.proposedTokens());
            counter(ACCEPTED, "Proposed tokens the target model accepted", kind).increment(stats.acceptedTokens());
        }
    }

    private Counter counter(String name, String description, String kind) {
        // the unit stays in the description: a base unit would be appended to the Prometheus name
        return Counter.builder(name).description(description + " (tokens)").tag("decoding", kind).register(registry);
    }
}
