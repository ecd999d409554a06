package dev.metaserve.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.metaserve.models.SentenceEncoder;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.CalibrationMethod;
import dev.metaserve.quant.calibration.PercentileCalibrator;
import dev.metaserve.quant.calibration.TensorStatistics;
import dev.metaserve.quant.graph.OnnxModels;
import dev.metaserve.quant.metaaug.MetaAugCalibration;
import dev.metaserve.quant.metaaug.TokenAugmentation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quant}: rewrites an fp32 sentence-encoder ONNX model to INT8 (QDQ), calibrated on sentences. Exit code 0 on
 * success, 1 when the model cannot be quantized (the message says why, no output is written), 2 on bad usage.
 */
@Command(name = "quant", mixinStandardHelpOptions = true,
        description = "Static INT8 quantization (QDQ) of MatMul/Gemm in an ONNX sentence encoder, calibrated on sentences.")
public final class QuantCommand implements Callable<Integer> {
    static final String BUNDLED_MODEL = "/all-minilm-l6-v2.onnx";

    @Option(names = "--model", description = "fp32 ONNX model; default: the bundled all-MiniLM-L6-v2 encoder")
    Path model;

    @Option(names = "--calibration", required = true, description = "text file, one calibration sentence per line")
    Path calibration;

    @Option(names = "--method", defaultValue = "percentile",
            description = "minmax, percentile, entropy or metaaug; default ${DEFAULT-VALUE}")
    String method;

    @Option(names = "--metaaug-inner", defaultValue = "minmax",
            description = "calibrator metaaug fits on the transformed data: minmax, percentile or entropy; default ${DEFAULT-VALUE}")
    String metaAugInner;

    @Option(names = "--metaaug-iterations", defaultValue = "" + MetaAugCalibration.Settings.DEFAULT_ITERATIONS,
            description = "metaaug cross-entropy iterations; default ${DEFAULT-VALUE}")
    int metaAugIterations;

    @Option(names = "--metaaug-population", defaultValue = "" + MetaAugCalibration.Settings.DEFAULT_POPULATION,
            description = "metaaug candidate transformations per iteration; default ${DEFAULT-VALUE}")
    int metaAugPopulation;

    @Option(names = "--metaaug-margin", defaultValue = "" + MetaAugCalibration.Settings.DEFAULT_MARGIN,
            description = "metaaug margin m: expected share of tokens changed below which a penalty applies; default ${DEFAULT-VALUE}")
    double metaAugMargin;

    @Option(names = "--metaaug-margin-weight", defaultValue = "" + MetaAugCalibration.Settings.DEFAULT_MARGIN_WEIGHT,
            description = "metaaug weight lambda of the margin penalty; default ${DEFAULT-VALUE}")
    double metaAugMarginWeight;

    @Option(names = "--metaaug-max-strength", defaultValue = "" + SentenceAugmentation.DEFAULT_MAX_STRENGTH,
            description = "metaaug upper bound of each augmentation probability; default ${DEFAULT-VALUE}")
    double metaAugMaxStrength;

    @Option(names = "--seed", defaultValue = "17", description = "seed of metaaug's transformations and search; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--percentile", defaultValue = "" + PercentileCalibrator.DEFAULT_PERCENTILE,
            description = "percentile of |x| kept by --method percentile; default ${DEFAULT-VALUE}")
    double percentile;

    @Option(names = "--activation-type", defaultValue = "UINT8",
            description = "UINT8 (asymmetric) or INT8 (symmetric); default ${DEFAULT-VALUE}")
    ActivationType activationType;

    @Option(names = "--out", required = true, description = "where to write the INT8 model")
    Path out;

    @Option(names = "--max-sentences", defaultValue = "256", description = "calibration sentences used at most; default ${DEFAULT-VALUE}")
    int maxSentences;

    @Option(names = "--max-sequence-length", defaultValue = "128", description = "tokens per calibration sentence; default ${DEFAULT-VALUE}")
    int maxSequenceLength;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads while calibrating; 0 = all cores")
    int threads;

    private final PrintStream stdout;
    private final PrintStream stderr;

    QuantCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command with the given streams; returns the exit code. */
    static int run(PrintStream stdout, PrintStream stderr, String... args) {
        CommandLine commandLine = new CommandLine(new QuantCommand(stdout, stderr))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new java.io.PrintWriter(stdout, true))
                .setErr(new java.io.PrintWriter(stderr, true));
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof QuantizationException) {
                stderr.println("quant: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        CalibrationMethod calibrationMethod = parseMethod(method);
        if (maxSentences < 1) {
            throw new QuantizationException("--max-sentences must be at least 1, was " + maxSentences);
        }
        boolean metaAug = calibrationMethod == CalibrationMethod.METAAUG;
        MetaAugCalibration.Settings metaAugSettings = metaAug ? new MetaAugCalibration.Settings(metaAugIterations,
                metaAugPopulation, metaAugMargin, metaAugMarginWeight, seed) : null;
        if (metaAug && !(metaAugMaxStrength > 0 && metaAugMaxStrength <= 1)) {
            throw new QuantizationException("--metaaug-max-strength must be in (0, 1], was " + metaAugMaxStrength);
        }
        CalibrationMethod innerMethod = metaAug ? parseMethod(metaAugInner) : calibrationMethod;
        if (innerMethod == CalibrationMethod.METAAUG) {
            throw new QuantizationException("--metaaug-inner must be minmax, percentile or entropy");
        }
        var calibrator = innerMethod.create(percentile);
        OnnxModels.checkWritable(out);
        String source = model == null ? "bundled " + BUNDLED_MODEL : model.toString();
        ModelProto parsed = model == null ? OnnxModels.parse(readBundled(), source) : OnnxModels.read(model);
        List<String> sentences = readSentences(calibration, maxSentences);
        stderr.printf("calibrating %s on %d sentences from %s%n", source, sentences.size(), calibration);
        SentenceCalibrationInputs inputs = new SentenceCalibrationInputs(sentences, maxSequenceLength,
                Quantizer.runtimeInputs(parsed));
        int intraOpThreads = threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
        Quantizer quantizer = new Quantizer(new Quantizer.Settings(calibrator, activationType,
                TensorStatistics.DEFAULT_BINS, intraOpThreads));
        if (metaAug) {
            return callMetaAug(quantizer, parsed, source, inputs, metaAugSettings);
        }
        QuantizationSummary summary = quantizer.quantize(parsed, source, inputs, out, new ProgressBar(stderr, "calibrating"));
        stdout.println("wrote " + out);
        stdout.print(summary.describe());
        return 0;
    }

    private int callMetaAug(Quantizer quantizer, ModelProto parsed, String source, SentenceCalibrationInputs inputs,
                            MetaAugCalibration.Settings metaAugSettings) {
        SentenceAugmentation augmentable = new SentenceAugmentation(inputs,
                TokenAugmentation.bertUncased(maxSequenceLength), metaAugMaxStrength);
        stderr.printf("metaaug: %d candidate transformations %s, each = statistics + rewrite + run on %d sentences%n",
                1 + metaAugIterations * metaAugPopulation, augmentable.parameterNames(), inputs.size());
        Quantizer.MetaAugOutcome outcome = quantizer.quantizeMetaAug(parsed, source, augmentable, metaAugSettings, out,
                (evaluation, total, candidate, best) -> stderr.printf(
                        "metaaug %d/%d theta %s error %.5f d %.3f objective %.5f | best %.5f%n", evaluation, total,
                        format(candidate.theta()), candidate.error(), candidate.distance(), candidate.objective(),
                        best.objective()));
        MetaAugCalibration.Result search = outcome.search();
        stdout.println("wrote " + out);
        stdout.print(outcome.summary().describe());
        stdout.printf("metaaug theta     %s = %s%n", augmentable.parameterNames(), format(search.best().theta()));
        stdout.printf("metaaug error     %.5f on the calibration set (1 - cosine to fp32), identity theta %.5f%n",
                search.best().error(), search.identity().error());
        stdout.printf("metaaug distance  %.3f (margin %.3f), %d candidates%n", search.best().distance(),
                metaAugSettings.margin(), search.evaluations());
        return 0;
    }

    private static String format(double[] theta) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < theta.length; i++) {
            text.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.3f", theta[i]));
        }
        return text.append(']').toString();
    }

    static CalibrationMethod parseMethod(String name) {
        for (CalibrationMethod candidate : CalibrationMethod.values()) {
            if (candidate.commandLineName().equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        throw new QuantizationException("unknown --method " + name + "; expected minmax, percentile, entropy or metaaug");
    }

    /** Non-blank lines, trimmed, at most {@code limit}. */
    static List<String> readSentences(Path file, int limit) {
        if (!Files.isRegularFile(file)) {
            throw new QuantizationException("calibration file " + file + " not found");
        }
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> sentences = lines.map(String::strip).filter(line -> !line.isEmpty()).limit(limit).toList();
            if (sentences.isEmpty()) {
                throw new QuantizationException("calibration file " + file + " has no sentences");
            }
            return sentences;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new QuantizationException("could not read calibration file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBundled() {
        try (InputStream in = SentenceEncoder.class.getResourceAsStream(BUNDLED_MODEL)) {
            if (in == null) {
                throw new QuantizationException("classpath resource " + BUNDLED_MODEL + " not found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new QuantizationException("could not read " + BUNDLED_MODEL + ": " + e.getMessage(), e);
        }
    }
}
