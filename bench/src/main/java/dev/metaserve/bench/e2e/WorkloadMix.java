package dev.metaserve.bench.e2e;

import dev.metaserve.bench.sweep.EmbeddingTexts;
import dev.metaserve.bench.sweep.GenerationTexts;
import dev.metaserve.bench.sweep.TextPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The task classes of the benchmark, on the sweep's text pools. Each phase mixes classes that favour different plans:
 * single short sentences alone and many at once (batching pays only under concurrency), long passages eight at a time
 * (where INT8 saves most); a repetitive prompt with a long continuation (n-gram lookup's case), a short prose
 * continuation, and prose continuations four at a time. The open arrival rates are about half of what the best fixed
 * plan served each class with closed-loop clients (bench/README.md), so the machine has room under a good plan.
 */
final class WorkloadMix {
    /** Texts in each embedding pool, as in the sweep. */
    static final int EMBEDDING_POOL_SIZE = 64;

    private WorkloadMix() {}

    /** The classes of the phases asked for, embedding phase first; pools are made only for those. */
    static List<TaskClass> classes(Set<Phase> phases) {
        List<TaskClass> classes = new ArrayList<>();
        if (phases.contains(Phase.EMBEDDING)) {
            TextPool shortTexts = EmbeddingTexts.pool("short", EMBEDDING_POOL_SIZE);
            TextPool longTexts = EmbeddingTexts.pool("long", EMBEDDING_POOL_SIZE);
            classes.add(TaskClass.embedding(shortTexts, 1, 1, 10));
            classes.add(TaskClass.embedding(longTexts, 8, 2, 4));
            classes.add(TaskClass.embedding(shortTexts, 1, 8, 75));
        }
        if (phases.contains(Phase.GENERATION)) {
            GenerationTexts prompts = GenerationTexts.bundled();
            classes.add(TaskClass.generation(prompts.pool(GenerationTexts.REPETITIVE, 128), 64, 1, 2));
            classes.add(TaskClass.generation(prompts.pool(GenerationTexts.PROSE, 16), 16, 1, 5));
            classes.add(TaskClass.generation(prompts.pool(GenerationTexts.PROSE, 128), 32, 4, 12));
        }
        return classes;
    }
}
