package dev.metaserve.bench;

import dev.metaserve.models.SentenceEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How to run a batch of sentences of mixed length: each alone, all padded to the longest (one run),
 * or bucketed by token length (runs of similar length, at most 25% padding: what the encoder does). Measured on the encoder itself,
 * in this process, with the same batches for every strategy.
 */
@Command(name = "batch-padding", mixinStandardHelpOptions = true,
        description = "Padding a mixed-length batch to its longest against grouping it by length.")
public final class BatchPaddingBenchmark implements Callable<Integer> {

    @Option(names = "--batch-sizes", split = ",", defaultValue = "8,16,32", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--batches", defaultValue = "12", description = "Batches per strategy and round (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds, in rotating order (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--intra-op-threads", defaultValue = "1", description = "ONNX Runtime threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", defaultValue = "bench/results/batch-padding.json", description = "JSON result file (default: ${DEFAULT-VALUE}).")
    Path out;

    /** What the encoder does with a batch: {@code encode(batch)} buckets by token length (at most 25% padding). */
    enum Strategy { ONE_BY_ONE, PADDED_TO_LONGEST, BUCKETED_BY_LENGTH }

    @Override
    public Integer call() throws Exception {
        List<String> sentences = Sentences.bundled();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (SentenceEncoder encoder = SentenceEncoder.load(threads)) {
            encoder.encode(sentences.subList(0, 32)); // warm-up
            System.out.printf(Locale.ROOT, "%-6s %-18s %12s %10s%n", "batch", "strategy", "ms/sentence", "vs padded");
            for (int batchSize : batchSizes) {
                Map<Strategy, Long> nanos = new LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < Strategy.values().length; k++) {
                        Strategy strategy = Strategy.values()[(k + round) % Strategy.values().length];
                        long start = System.nanoTime();
                        for (int b = 0; b < batches; b++) {
                            int from = (b * batchSize) % (sentences.size() - batchSize);
                            run(encoder, strategy, sentences.subList(from, from + batchSize));
                        }
                        nanos.merge(strategy, System.nanoTime() - start, Long::sum);
                    }
                }
                double sentencesRun = (double) batchSize * batches * rounds;
                double padded = nanos.get(Strategy.PADDED_TO_LONGEST) / sentencesRun / 1e6;
                for (Strategy strategy : Strategy.values()) {
                    double msPerSentence = nanos.get(strategy) / sentencesRun / 1e6;
                    System.out.printf(Locale.ROOT, "%-6d %-18s %12.3f %10.2f%n", batchSize, strategy, msPerSentence,
                            msPerSentence / padded);
                    rows.add(Map.of("batchSize", batchSize, "strategy", strategy.name(), "msPerSentence", msPerSentence,
                            "ratioToPadded", msPerSentence / padded));
                }
            }
        }
        Map<String, Object> document = ResultsTable.document("batch-padding", Map.of("model", "all-minilm-l6-v2",
                "intraOpThreads", threads, "maxPaddingWhenBucketed", 0.25,
                "batches", batches, "rounds", rounds, "sentences", "bundled Austen sentences, 4-60 words"));
        document.put("rows", rows);
        ResultsTable.writeJson(out, document);
        System.out.println("wrote " + out);
        return 0;
    }

    private static void run(SentenceEncoder encoder, Strategy strategy, List<String> batch) {
        switch (strategy) {
            case ONE_BY_ONE -> batch.forEach(s -> encoder.encode(List.of(s)));
            case PADDED_TO_LONGEST -> encoder.encode(batch, Double.POSITIVE_INFINITY);
            case BUCKETED_BY_LENGTH -> encoder.encode(batch);
        }
    }
}
