package dev.metaserve.bench.sweep;

import dev.metaserve.accelerators.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * The cells of a {@link GridSpec}: by node profile, then by workload, then by concurrency, then plan ({@code
 * --limit-cells} takes a prefix of this order). {@link Sweep} measures them in its own interleaved order: rounds,
 * tasks, node profiles, plans.
 */
final class SweepGrid {
    /** Texts in each embedding pool; every prompt pool has one prompt per held-out passage (16). */
    static final int EMBEDDING_POOL_SIZE = 64;

    private SweepGrid() {}

    static List<Cell> cells(GridSpec spec) {
        List<Workload> workloads = new ArrayList<>();
        for (String length : spec.embeddingLengths()) {
            TextPool pool = EmbeddingTexts.pool(length, EMBEDDING_POOL_SIZE);
            for (int texts : spec.textsPerRequest()) {
                workloads.add(Workload.embedding(pool, texts));
            }
        }
        if (!spec.promptKinds().isEmpty()) {
            GenerationTexts prompts = GenerationTexts.bundled();
            for (String kind : spec.promptKinds()) {
                for (int promptTokens : spec.promptTokens()) {
                    TextPool pool = prompts.pool(kind, promptTokens);
                    for (int outputTokens : spec.outputTokens()) {
                        workloads.add(Workload.generation(pool, outputTokens));
                    }
                }
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (NodeProfile profile : spec.profiles()) {
            for (Workload workload : workloads) {
                List<Integer> concurrencies = workload.isGeneration() ? spec.generationConcurrency()
                        : spec.embeddingConcurrency();
                List<Plan> plans = workload.isGeneration() ? spec.generationPlans() : spec.embeddingPlans();
                for (int concurrency : concurrencies) {
                    for (Plan plan : plans) {
                        cells.add(new Cell(profile, workload, plan, concurrency));
                    }
                }
            }
        }
        return cells;
    }
}
