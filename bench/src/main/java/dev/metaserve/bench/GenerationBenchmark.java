package dev.metaserve.bench;

import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.generate.TextGenerationGrpc;
import dev.metaserve.launcher.LocalCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Plain decoding against speculative decoding (draft model with several k, n-gram prompt lookup), through the gateway's
 * gRPC streaming generate, on two prompt sets and at several concurrencies, in one run. Greedy decoding, so every
 * decoding must produce the same text; the benchmark checks that too. Rounds alternate the order of the decodings.
 */
@Command(name = "generation", mixinStandardHelpOptions = true,
        description = "Compare plain decoding with draft(k) and ngram(k,n) speculative decoding through the gateway.")
public final class GenerationBenchmark implements Callable<Integer> {
    static final String MODEL = "austen-kjv";

    @Option(names = "--root", defaultValue = ".", description = "Project checkout with the built programs (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--model", defaultValue = MODEL, description = "Language model name (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--decodings", split = ";", defaultValue = "plain;draft(2);draft(4);draft(6);ngram(4,2)",
            description = "Decodings, ';'-separated; the first is the baseline (default: ${DEFAULT-VALUE}).")
    List<String> decodings;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,8", description = "Client concurrencies (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrencies;

    @Option(names = "--prompts", defaultValue = "16", description = "Prompts per set (default: ${DEFAULT-VALUE}).")
    int promptCount;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Tokens generated per request (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds, in alternating order (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--node-args", split = " ", defaultValue = "--lm bundled --intra-op-threads 1",
            description = "Arguments of the one local node (default: ${DEFAULT-VALUE}).")
    List<String> nodeArgs;

    @Option(names = "--out", defaultValue = "bench/results/generation.json", description = "JSON result file (default: ${DEFAULT-VALUE}).")
    Path out;

    /** What one pass over a prompt set gave. */
    record Run(int tokens, double seconds, int proposed, int accepted, int targetPasses, List<String> texts) {
        double tokensPerSecond() {
            return tokens / seconds;
        }

        static Run mean(List<Run> runs) {
            int tokens = 0;
            double seconds = 0;
            int proposed = 0;
            int accepted = 0;
            int passes = 0;
            for (Run r : runs) {
                tokens += r.tokens;
                seconds += r.seconds;
                proposed += r.proposed;
                accepted += r.accepted;
                passes += r.targetPasses;
            }
            return new Run(tokens, seconds, proposed, accepted, passes, runs.get(0).texts);
        }
    }

    @Override
    public Integer call() throws Exception {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        List<String> passages = GenerationPrompts.heldOut();
        passages = passages.subList(0, Math.min(promptCount, passages.size()));
        Map<String, List<String>> sets = new LinkedHashMap<>();
        sets.put("held-out", passages);
        sets.put("repetitive", GenerationPrompts.repetitive(passages));

        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-11s %-4s %-11s %9s %8s %9s %11s %10s%n",
                "prompts", "c", "decoding", "tokens/s", "ratio", "accepted", "tok/pass", "same text"));
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.defaults(absoluteRoot)
                .withNodes(1)
                .withNodeArgs(nodeArgs)
                .withLogDir(absoluteRoot.resolve("target/bench-logs")));
             Client client = new Client(cluster.grpcTarget())) {
            for (var set : sets.entrySet()) {
                client.warmUp(model, set.getValue(), decodings, maxTokens, concurrencies);
                for (int concurrency : concurrencies) {
                    Map<String, List<Run>> runs = new LinkedHashMap<>();
                    decodings.forEach(d -> runs.put(d, new ArrayList<>()));
                    for (int round = 0; round < rounds; round++) {
                        List<String> order = new ArrayList<>(decodings);
                        if (round % 2 == 1) {
                            Collections.reverse(order);
                        }
                        for (String decoding : order) {
                            Run run = client.run(model, set.getValue(), decoding, maxTokens, concurrency);
                            System.err.printf(Locale.ROOT, "  round %d %-10s c=%-2d %-11s %8.1f tokens/s, accepted %d of %d%n",
                                    round + 1, set.getKey(), concurrency, decoding, run.tokensPerSecond(), run.accepted, run.proposed);
                            runs.get(decoding).add(run);
                        }
                    }
                    Run baseline = Run.mean(runs.get(decodings.get(0)));
                    for (String decoding : decodings) {
                        Run r = Run.mean(runs.get(decoding));
                        double ratio = r.tokensPerSecond() / baseline.tokensPerSecond();
                        double acceptance = r.proposed == 0 ? Double.NaN : (double) r.accepted / r.proposed;
                        double perPass = (double) r.tokens / r.targetPasses;
                        boolean same = r.texts.equals(baseline.texts);
                        table.append(String.format(Locale.ROOT, "%-11s %-4d %-11s %9.1f %7.2fx %9s %11.2f %10s%n",
                                set.getKey(), concurrency, decoding, r.tokensPerSecond(), ratio,
                                Double.isNaN(acceptance) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * acceptance),
                                perPass, same ? "yes" : "NO"));
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("prompts", set.getKey());
                        row.put("concurrency", concurrency);
                        row.put("decoding", decoding);
                        row.put("tokens", r.tokens);
                        row.put("seconds", r.seconds);
                        row.put("tokensPerSecond", r.tokensPerSecond());
                        row.put("ratioToBaseline", ratio);
                        row.put("proposedTokens", r.proposed);
                        row.put("acceptedTokens", r.accepted);
                        row.put("acceptanceRate", Double.isNaN(acceptance) ? null : acceptance);
                        row.put("tokensPerTargetPass", perPass);
                        row.put("sameTextAsBaseline", same);
                        rows.add(row);
                    }
                }
            }
        }
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.println("ratio: tokens/s over " + decodings.get(0) + " for the same prompts and concurrency;"
                + " accepted: of the proposed tokens; tok/pass: generated tokens per target-model pass.");
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("model", model);
        setup.put("decodings", decodings);
        setup.put("concurrency", concurrencies);
        setup.put("promptsPerSet", passages.size());
        setup.put("maxTokens", maxTokens);
        setup.put("temperature", 0);
        setup.put("rounds", rounds);
        setup.put("nodeArgs", nodeArgs);
        Map<String, Object> document = ResultsTable.document("generation", setup);
        document.put("rows", rows);
        ResultsTable.writeJson(out, document);
        System.out.println("written: " + out);
        return 0;
    }

    /** Streams generations from the gateway's TextGeneration service. */
    static final class Client implements AutoCloseable {
        private final ManagedChannel channel;
        private final TextGenerationGrpc.TextGenerationBlockingStub stub;

        Client(String target) {
            channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
            stub = TextGenerationGrpc.newBlockingStub(channel);
        }

        /**
         * One unrecorded pass of every decoding over the whole set, at each concurrency: the JIT, ONNX Runtime's
         * memory arenas and the KV buffers reach their steady state before anything is measured (a short warm-up left
         * the first measured row at half speed).
         */
        void warmUp(String model, List<String> prompts, List<String> decodings, int maxTokens,
                    List<Integer> concurrencies) throws Exception {
            for (String decoding : decodings) {
                for (int concurrency : concurrencies) {
                    run(model, prompts, decoding, maxTokens, concurrency);
                }
            }
        }

        /** Every prompt once, {@code concurrency} at a time; the texts come back in prompt order. */
        Run run(String model, List<String> prompts, String decoding, int maxTokens, int concurrency) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            try {
                AtomicInteger next = new AtomicInteger();
                String[] texts = new String[prompts.size()];
                int[][] counts = new int[prompts.size()][];
                long start = System.nanoTime();
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < concurrency; w++) {
                    workers.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < prompts.size(); i = next.getAndIncrement()) {
                            Result result = generate(model, prompts.get(i), decoding, maxTokens);
                            texts[i] = result.text;
                            counts[i] = result.counts;
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                int tokens = 0;
                int proposed = 0;
                int accepted = 0;
                int passes = 0;
                for (int[] c : counts) {
                    tokens += c[0];
                    proposed += c[1];
                    accepted += c[2];
                    passes += c[3];
                }
                return new Run(tokens, seconds, proposed, accepted, passes, List.of(texts));
            } finally {
                pool.shutdownNow();
            }
        }

        record Result(String text, int[] counts) {}

        Result generate(String model, String prompt, String decoding, int maxTokens) {
            Iterator<GenerateResponse> chunks = stub.withDeadlineAfter(300, TimeUnit.SECONDS).generate(
                    GenerateRequest.newBuilder()
                            .setModel(model)
                            .setPrompt(prompt)
                            .setMaxTokens(maxTokens)
                            .setTemperature(0)
                            .setPlan("decoding=" + decoding)
                            .build());
            StringBuilder text = new StringBuilder();
            GenerateResponse last = null;
            while (chunks.hasNext()) {
                last = chunks.next();
                text.append(last.getText());
            }
            if (last == null || !last.hasUsage()) {
                throw new IllegalStateException("the stream ended without usage");
            }
            var usage = last.getUsage();
            return new Result(text.toString(), new int[] {usage.getCompletionTokens(), usage.getProposedTokens(),
                    usage.getAcceptedTokens(), usage.getTargetPasses()});
        }

        @Override
        public void close() {
            channel.shutdownNow();
        }
    }
}
