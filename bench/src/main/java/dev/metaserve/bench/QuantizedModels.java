package dev.metaserve.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.metaserve.quant.QuantizationException;
import dev.metaserve.quant.QuantizationSummary;
import dev.metaserve.quant.Quantizer;
import dev.metaserve.quant.SentenceCalibrationInputs;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.CalibrationMethod;
import dev.metaserve.quant.calibration.Calibrator;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.calibration.TensorStatistics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * INT8 rewrites of the fp32 encoder made in this process with the quant module, one per method and calibration-set
 * size, each made once and kept in the work directory. Calibration sets are prefixes of one list, so smaller sets are
 * subsets of larger ones. metaaug runs MetaAug around minmax, through
 * {@link MetaAugQuantization}. A method the quant module refuses (e.g. metaaug while it is "not implemented yet") is
 * recorded as skipped with the module's message, and asked for again returns nothing.
 */
final class QuantizedModels {
    /** One rewrite: the file and how long quantizing took. */
    record Quantized(String method, int calibrationSentences, Path file, double seconds) {}

    static final int CALIBRATION_MAX_SEQUENCE_LENGTH = 128;
    private static final String SOURCE = "bundled fp32 encoder";

    private final ModelProto fp32;
    private final List<String> calibration;
    private final Path workDir;
    private final int threads;
    private final double percentile;
    private final MetaAugQuantization.Search metaAugSearch;
    private final Map<String, Quantized> made = new HashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();

    QuantizedModels(ModelProto fp32, List<String> calibration, Path workDir, int threads, double percentile,
                    MetaAugQuantization.Search metaAugSearch) {
        this.metaAugSearch = metaAugSearch;
        this.fp32 = fp32;
        this.calibration = calibration;
        this.workDir = workDir;
        this.threads = threads;
        this.percentile = percentile;
    }

    /** The quant module's method of that command-line name; throws for a name it does not know. */
    static CalibrationMethod method(String name) {
        for (CalibrationMethod candidate : CalibrationMethod.values()) {
            if (candidate.commandLineName().equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("unknown method " + name + "; the quant module offers "
                + java.util.Arrays.stream(CalibrationMethod.values()).map(CalibrationMethod::commandLineName).toList());
    }

    /**
     * The encoder quantized with {@code method} calibrated on the first {@code sentences} calibration sentences, or
     * empty when the quant module refuses the method (the reason is in {@link #skipped()}).
     */
    Optional<Quantized> get(String method, int sentences) {
        if (skipped.containsKey(method)) {
            return Optional.empty();
        }
        String key = method + "-" + sentences;
        Quantized cached = made.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (sentences < 1 || sentences > calibration.size()) {
            throw new IllegalArgumentException("calibration size must be in [1, " + calibration.size() + "], was "
                    + sentences);
        }
        Path out = workDir.resolve(key + ".onnx");
        try {
            boolean metaAug = method(method) == CalibrationMethod.METAAUG;
            Calibrator calibrator = (metaAug ? CalibrationMethod.MINMAX : method(method)).create(percentile);
            SentenceCalibrationInputs inputs = new SentenceCalibrationInputs(calibration.subList(0, sentences),
                    CALIBRATION_MAX_SEQUENCE_LENGTH, Quantizer.runtimeInputs(fp32));
            Quantizer quantizer = new Quantizer(new Quantizer.Settings(calibrator, ActivationType.UINT8,
                    TensorStatistics.DEFAULT_BINS, threads));
            QuantizationSummary summary = metaAug
                    ? MetaAugQuantization.quantize(quantizer, fp32, SOURCE, inputs, CALIBRATION_MAX_SEQUENCE_LENGTH,
                            metaAugSearch, out)
                    : quantizer.quantize(fp32, SOURCE, inputs, out, StatisticsCollector.Progress.NONE);
            Quantized quantized = new Quantized(method, sentences, out, summary.elapsed().toMillis() / 1000.0);
            System.err.printf(Locale.ROOT, "quantized %s on %d sentences in %.1f s%n", method, sentences,
                    quantized.seconds());
            made.put(key, quantized);
            return Optional.of(quantized);
        } catch (QuantizationException e) {
            skipped.put(method, e.getMessage());
            System.err.println("skipping " + method + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Methods the quant module refused, with its message. */
    Map<String, String> skipped() {
        return Map.copyOf(skipped);
    }
}
