package dev.metaserve.quant.metaaug;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.metaserve.quant.QuantizationException;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.CalibrationInputs;
import dev.metaserve.quant.calibration.Calibrator;
import dev.metaserve.quant.calibration.QuantParams;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.calibration.TensorStatistics;
import dev.metaserve.quant.graph.QdqRewriter;
import dev.metaserve.quant.graph.QuantTargets;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MetaAug-style calibration, bi-level and zeroth-order. Inner problem: collect activation statistics on
 * {@code T_theta(X)} and fit per-tensor parameters with the inner {@link Calibrator} (min-max by default), exactly as
 * plain calibration does. Outer objective: the quantized model's error on the original {@code X},
 * {@code mean(1 - cos(pool(y_q), pool(y_fp32)))} over the runs of X (pool = mean over all axes but the last of the
 * first graph output), plus {@code marginWeight * max(0, margin - d(theta))}, which keeps theta away from the
 * identity. ONNX Runtime gives no gradients, so theta is searched with the {@link CrossEntropyOptimizer}.
 */
public final class MetaAugCalibration {
    /**
     * @param iterations   cross-entropy iterations
     * @param population   candidates per iteration
     * @param margin       m: the distance from the identity below which the penalty applies
     * @param marginWeight lambda of the penalty
     * @param seed         seed of the transformations (the same for every candidate) and of the search
     */
    public record Settings(int iterations, int population, double margin, double marginWeight, long seed) {
        public static final int DEFAULT_ITERATIONS = 4;
        public static final int DEFAULT_POPULATION = 6;
        public static final double DEFAULT_MARGIN = 0.1;
        public static final double DEFAULT_MARGIN_WEIGHT = 1.0;

        public static Settings defaults() {
            return new Settings(DEFAULT_ITERATIONS, DEFAULT_POPULATION, DEFAULT_MARGIN, DEFAULT_MARGIN_WEIGHT, 17);
        }

        public Settings {
            if (iterations < 1 || population < 2) {
                throw new QuantizationException("metaaug needs at least 1 iteration and a population of 2, got "
                        + iterations + " and " + population);
            }
            if (!(margin >= 0 && margin <= 1) || !(marginWeight >= 0)) {
                throw new QuantizationException("metaaug margin must be in [0, 1] and its weight >= 0, got "
                        + margin + " and " + marginWeight);
            }
        }
    }

    /** One candidate theta: its error on X, distance from the identity, objective and the parameters it fitted. */
    public record Evaluation(double[] theta, double error, double distance, double objective,
                             Map<String, QuantParams> activations) {}

    /** Told after each evaluated candidate. */
    @FunctionalInterface
    public interface Listener {
        void evaluated(int evaluation, int total, Evaluation candidate, Evaluation best);

        Listener NONE = (evaluation, total, candidate, best) -> {};
    }

    /**
     * @param identity    theta = 0, i.e. plain calibration with the inner calibrator on X
     * @param best        the lowest objective found (may be the identity when nothing beat it)
     * @param modelRuns   ONNX Runtime runs made, statistics and outer evaluations together
     */
    public record Result(Evaluation identity, Evaluation best, int evaluations, int modelRuns) {}

    private final Settings settings;
    private final Calibrator inner;
    private final ActivationType type;
    private final int bins;
    private final int intraOpThreads;

    public MetaAugCalibration(Settings settings, Calibrator inner, ActivationType type, int bins, int intraOpThreads) {
        this.settings = settings;
        this.inner = inner;
        this.type = type;
        this.bins = bins;
        this.intraOpThreads = intraOpThreads;
    }

    public Result run(ModelProto model, QuantTargets.Selection selection, AugmentableInputs inputs, Listener listener) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        float[][] reference = pooledOutputs(environment, model.toByteArray(), inputs.original());
        int[] runs = {inputs.original().size()};
        Map<String, Evaluation> cache = new LinkedHashMap<>();
        Evaluation[] best = {null};
        Evaluation[] identity = {null};
        CrossEntropyOptimizer optimizer = new CrossEntropyOptimizer(settings.iterations(), settings.population(),
                settings.seed());
        CrossEntropyOptimizer.Listener progress = (evaluation, total, point, value) ->
                listener.evaluated(evaluation, total, cache.get(java.util.Arrays.toString(point)), best[0]);
        optimizer.minimize(theta -> {
            String key = java.util.Arrays.toString(theta);
            Evaluation evaluation = cache.get(key);
            if (evaluation == null) {
                CalibrationInputs transformed = inputs.transformed(theta, settings.seed());
                evaluation = evaluate(environment, model, selection, theta, transformed, inputs, reference);
                runs[0] += 2 * transformed.size() + inputs.original().size();
                cache.put(key, evaluation);
            }
            if (identity[0] == null) {
                identity[0] = evaluation;
            }
            if (best[0] == null || evaluation.objective() < best[0].objective()) {
                best[0] = evaluation;
            }
            return evaluation.objective();
        }, new double[inputs.upperBounds().length], inputs.upperBounds(), 0.3, progress);
        return new Result(identity[0], best[0], optimizer.evaluations(), runs[0]);
    }

    private Evaluation evaluate(OrtEnvironment environment, ModelProto model, QuantTargets.Selection selection,
                                double[] theta, CalibrationInputs transformed, AugmentableInputs inputs,
                                float[][] reference) {
        Map<String, TensorStatistics> statistics = new StatisticsCollector(bins, intraOpThreads)
                .collect(model, selection.activations(), transformed, StatisticsCollector.Progress.NONE);
        Map<String, QuantParams> activations = new LinkedHashMap<>();
        statistics.forEach((name, stats) -> activations.put(name, inner.calibrate(stats, type)));
        ModelProto quantized = QdqRewriter.rewrite(model, selection.targets(), activations).model();
        float[][] pooled = pooledOutputs(environment, quantized.toByteArray(), inputs.original());
        double error = 0;
        for (int i = 0; i < pooled.length; i++) {
            error += 1 - cosine(pooled[i], reference[i]);
        }
        error /= pooled.length;
        double distance = inputs.distanceFromIdentity(theta);
        double objective = error + settings.marginWeight() * Math.max(0, settings.margin() - distance);
        return new Evaluation(theta.clone(), error, distance, objective, activations);
    }

    /** The first graph output of every run, averaged over all axes but the last. */
    private float[][] pooledOutputs(OrtEnvironment environment, byte[] model, CalibrationInputs inputs) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = environment.createSession(model, options)) {
                String output = session.getOutputNames().iterator().next();
                float[][] pooled = new float[inputs.size()][];
                for (int i = 0; i < inputs.size(); i++) {
                    Map<String, OnnxTensor> feeds = inputs.feeds(i, environment);
                    try (OrtSession.Result result = session.run(feeds, java.util.Set.of(output))) {
                        pooled[i] = pool(output, result.get(output).orElseThrow());
                    } finally {
                        feeds.values().forEach(OnnxTensor::close);
                    }
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new QuantizationException("ONNX Runtime failed during metaaug calibration: " + e.getMessage(), e);
        }
    }

    private static float[] pool(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new QuantizationException("metaaug compares the first graph output, " + name
                    + ", which is not a float tensor (" + value.getInfo() + ")");
        }
        long[] shape = tensor.getInfo().getShape();
        int width = shape.length == 0 ? 1 : (int) shape[shape.length - 1];
        FloatBuffer buffer = tensor.getFloatBuffer();
        int rows = Math.max(1, buffer.remaining() / Math.max(1, width));
        float[] pooled = new float[width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                pooled[c] += buffer.get(r * width + c) / rows;
            }
        }
        return pooled;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return na == nb ? 1 : 0;
        }
        return dot / Math.sqrt(na * nb);
    }
}
