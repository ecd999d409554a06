package dev.metaserve.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.metaserve.models.SentenceEncoder;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.CalibrationMethod;
import dev.metaserve.quant.calibration.PercentileCalibrator;
import dev.metaserve.quant.calibration.TensorStatistics;
import dev.metaserve.quant.graph.OnnxModels;
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
            description = "minmax, percentile, entropy or metaaug (not implemented yet); default ${DEFAULT-VALUE}")
    String method;

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
        var calibrator = calibrationMethod.create(percentile);
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
        QuantizationSummary summary = quantizer.quantize(parsed, source, inputs, out, new ProgressBar(stderr, "calibrating"));
        stdout.println("wrote " + out);
        stdout.print(summary.describe());
        return 0;
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
