package dev.metaserve.bench.sweep;

import dev.metaserve.selector.store.Measurement;
import java.util.HashMap;
import java.util.Map;

/**
 * Measures cells on one running node: closed-loop load under the cell's plan and concurrency ({@link ClosedLoop}), and
 * the plan's quality against references made on the same node once per text pool (embeddings: each text alone in fp32
 * without batching; generation: plain greedy decoding of each prompt).
 */
final class CellMeasurer {
    private final ProfiledNode node;
    private final ClosedLoop.Settings settings;
    private final Map<String, float[][]> embeddingReferences = new HashMap<>();
    private final Map<String, int[][]> generationReferences = new HashMap<>();

    CellMeasurer(ProfiledNode node, ClosedLoop.Settings settings) {
        this.node = node;
        this.settings = settings;
    }

    Measurement measure(Cell cell) throws Exception {
        Workload workload = cell.workload();
        if (workload.isGeneration()) {
            int[][] reference = generationReferences.computeIfAbsent(workload.pool().name() + "/"
                    + workload.outputTokens(), key -> GenerationCalls.reference(node.channel(), workload));
            GenerationCalls calls = new GenerationCalls(node.channel(), workload, cell.plan());
            ClosedLoop.Result result = ClosedLoop.run(calls, cell.concurrency(), settings);
            return measurement(result, QualityDelta.tokens(calls.firstTokens(), reference));
        }
        float[][] reference = embeddingReferences.computeIfAbsent(workload.pool().name(),
                key -> EmbeddingCalls.reference(node.channel(), workload.model(), workload.pool()));
        EmbeddingCalls calls = new EmbeddingCalls(node.channel(), workload, cell.plan());
        ClosedLoop.Result result = ClosedLoop.run(calls, cell.concurrency(), settings);
        return measurement(result, QualityDelta.embedding(calls.firstVectors(), reference));
    }

    private static Measurement measurement(ClosedLoop.Result result, double qualityDelta) {
        return new Measurement(result.percentileMs(0.50), result.percentileMs(0.90), result.percentileMs(0.99),
                result.requestsPerSecond(), result.tokensPerSecond(), qualityDelta, result.samples());
    }
}
