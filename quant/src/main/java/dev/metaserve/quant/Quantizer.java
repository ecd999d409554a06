package dev.metaserve.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.CalibrationInputs;
import dev.metaserve.quant.calibration.Calibrator;
import dev.metaserve.quant.calibration.QuantParams;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.calibration.TensorStatistics;
import dev.metaserve.quant.graph.OnnxModels;
import dev.metaserve.quant.graph.QdqRewriter;
import dev.metaserve.quant.graph.QuantTarget;
import dev.metaserve.quant.graph.QuantTargets;
import dev.metaserve.quant.metaaug.AugmentableInputs;
import dev.metaserve.quant.metaaug.MetaAugCalibration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Static INT8 post-training quantization, start to end: find the MatMul/Gemm nodes with weight initializers, collect
 * statistics of their activation inputs over calibration inputs, turn them into scales with the calibrator, rewrite the
 * graph to QDQ, check that ONNX Runtime loads the result, and only then write it (atomically).
 */
public final class Quantizer {
    /**
     * @param calibrator     how activation statistics become scale and zero point
     * @param activationType how activations are stored between Q and DQ
     * @param histogramBins  bins of each activation's magnitude histogram
     * @param intraOpThreads ONNX Runtime threads while calibrating
     */
    public record Settings(Calibrator calibrator, ActivationType activationType, int histogramBins, int intraOpThreads) {
        public static Settings of(Calibrator calibrator) {
            return new Settings(calibrator, ActivationType.UINT8, TensorStatistics.DEFAULT_BINS,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
        }
    }

    private final Settings settings;

    public Quantizer(Settings settings) {
        this.settings = settings;
    }

    /** The names a caller must feed: graph inputs that are not initializers. */
    public static Set<String> runtimeInputs(ModelProto model) {
        Set<String> initializers = new HashSet<>();
        model.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
        Set<String> inputs = new LinkedHashSet<>();
        model.getGraph().getInputList().forEach(v -> {
            if (!initializers.contains(v.getName())) {
                inputs.add(v.getName());
            }
        });
        return inputs;
    }

    /**
     * Quantizes {@code model} and writes it to {@code out}.
     *
     * @param source what the model is, for messages
     * @throws QuantizationException naming the problem; {@code out} is then left as it was
     */
    public QuantizationSummary quantize(ModelProto model, String source, CalibrationInputs inputs, Path out,
                                        StatisticsCollector.Progress progress) {
        long started = System.nanoTime();
        QuantTargets.Selection selection = prepare(model, source, out);
        Map<String, TensorStatistics> statistics = new StatisticsCollector(settings.histogramBins(), settings.intraOpThreads())
                .collect(model, selection.activations(), inputs, progress);
        Map<String, QuantParams> activations = new LinkedHashMap<>();
        statistics.forEach((name, stats) ->
                activations.put(name, settings.calibrator().calibrate(stats, settings.activationType())));
        return write(model, source, selection, activations, settings.calibrator().name(), 2 * inputs.size(), out, started);
    }

    /** A MetaAug quantization: what was written, and what the search found. */
    public record MetaAugOutcome(QuantizationSummary summary, MetaAugCalibration.Result search) {}

    /**
     * Quantizes {@code model} with MetaAug-style calibration ({@link MetaAugCalibration}): the settings' calibrator is
     * the inner one, fitted on transformed data; the transformation is searched for the quantized model's error on the
     * original data. Writes the best candidate's model to {@code out}.
     *
     * @throws QuantizationException naming the problem; {@code out} is then left as it was
     */
    public MetaAugOutcome quantizeMetaAug(ModelProto model, String source, AugmentableInputs inputs,
                                         MetaAugCalibration.Settings metaAug, Path out,
                                         MetaAugCalibration.Listener listener) {
        long started = System.nanoTime();
        QuantTargets.Selection selection = prepare(model, source, out);
        MetaAugCalibration.Result search = new MetaAugCalibration(metaAug, settings.calibrator(),
                settings.activationType(), settings.histogramBins(), settings.intraOpThreads())
                .run(model, selection, inputs, listener);
        QuantizationSummary summary = write(model, source, selection, search.best().activations(),
                "metaaug (inner " + settings.calibrator().name() + ")", search.modelRuns(), out, started);
        return new MetaAugOutcome(summary, search);
    }

    /** The checks before any calibration run: writable output, something to quantize, opset high enough. */
    private static QuantTargets.Selection prepare(ModelProto model, String source, Path out) {
        OnnxModels.checkWritable(out);
        long opset = OnnxModels.defaultOpset(model);
        QuantTargets.Selection selection = QuantTargets.find(model.getGraph());
        if (selection.targets().isEmpty()) {
            throw new QuantizationException(source + " has no quantizable MatMul or Gemm (one whose input 1 is a "
                    + "rank-2 float32 initializer); operators in the graph: " + opTypes(model)
                    + (selection.skipped().isEmpty() ? "" : "; MatMul/Gemm left out: " + selection.skipped()));
        }
        if (opset < QdqRewriter.QDQ_MIN_OPSET) {
            throw new QuantizationException(source + " imports default opset " + opset
                    + "; QDQ quantization needs at least " + QdqRewriter.QDQ_MIN_OPSET);
        }
        return selection;
    }

    private static QuantizationSummary write(ModelProto model, String source, QuantTargets.Selection selection,
                                             Map<String, QuantParams> activations, String method, int calibrationRuns,
                                             Path out, long started) {
        long opset = OnnxModels.defaultOpset(model);
        QdqRewriter.Result result = QdqRewriter.rewrite(model, selection.targets(), activations);
        checkLoads(result.model(), source);
        long bytesAfter = OnnxModels.writeAtomically(result.model(), out);

        Map<String, Integer> quantized = new TreeMap<>();
        Set<Integer> quantizedIndices = new HashSet<>();
        for (QuantTarget target : selection.targets()) {
            quantized.merge(target.opType(), 1, Integer::sum);
            quantizedIndices.add(target.nodeIndex());
        }
        Map<String, Integer> kept = new TreeMap<>();
        for (int i = 0; i < model.getGraph().getNodeCount(); i++) {
            if (!quantizedIndices.contains(i)) {
                kept.merge(model.getGraph().getNode(i).getOpType(), 1, Integer::sum);
            }
        }
        return new QuantizationSummary(method, opset, result.perChannel(), quantized, kept,
                selection.skipped(), result.weightsQuantized(), activations, calibrationRuns,
                model.getSerializedSize(), bytesAfter, Duration.ofNanos(System.nanoTime() - started));
    }

    private static Set<String> opTypes(ModelProto model) {
        Set<String> types = new java.util.TreeSet<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            types.add(node.getOpType());
        }
        return types;
    }

    /** Refuses a rewrite ONNX Runtime would not load, before anything is written. */
    private static void checkLoads(ModelProto model, String source) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            try (OrtSession ignored = environment.createSession(model.toByteArray(), options)) {
                // loading is the check
            }
        } catch (OrtException e) {
            throw new QuantizationException("the quantized rewrite of " + source + " does not load in ONNX Runtime: "
                    + e.getMessage(), e);
        }
    }
}
