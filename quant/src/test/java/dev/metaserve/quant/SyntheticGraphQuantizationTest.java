package dev.metaserve.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.EntropyCalibrator;
import dev.metaserve.quant.calibration.MinMaxCalibrator;
import dev.metaserve.quant.calibration.PercentileCalibrator;
import dev.metaserve.quant.calibration.QuantParams;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.calibration.TensorStatistics;
import dev.metaserve.quant.graph.OnnxModels;
import dev.metaserve.quant.metaaug.MetaAugCalibration;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticGraphQuantizationTest {
    @TempDir
    Path dir;

    /** Activations in [-1, 3] in 4,000 values, one run per 1,000. */
    private static List<float[]> boundedRuns() {
        Random random = new Random(11);
        List<float[]> runs = new java.util.ArrayList<>();
        for (int r = 0; r < 4; r++) {
            float[] x = new float[1000];
            for (int i = 0; i < x.length; i++) {
                x[i] = -1f + 4f * random.nextFloat();
            }
            runs.add(x);
        }
        runs.get(0)[0] = -1f;
        runs.get(1)[0] = 3f;
        return runs;
    }

    private QuantizationSummary quantize(ModelProto model, dev.metaserve.quant.calibration.Calibrator calibrator,
                                         List<float[]> runs, Path out) {
        Quantizer quantizer = new Quantizer(new Quantizer.Settings(calibrator, ActivationType.UINT8,
                TensorStatistics.DEFAULT_BINS, 1));
        return quantizer.quantize(model, "synthetic", SyntheticModels.inputs(runs), out, StatisticsCollector.Progress.NONE);
    }

    @Test
    void minMaxCalibrationGivesTheObservedRangeOver255() {
        QuantizationSummary summary = quantize(SyntheticModels.matMul(14), new MinMaxCalibrator(), boundedRuns(),
                dir.resolve("q.onnx"));

        QuantParams params = summary.activations().get("h");
        assertThat(params.scale()).isEqualTo((float) (4.0 / 255));
        assertThat(params.zeroPoint()).isEqualTo(64);
        assertThat(summary.quantizedByOpType()).containsExactly(Map.entry("MatMul", 1));
        assertThat(summary.keptFp32ByOpType()).containsExactly(Map.entry("Identity", 1));
    }

    @Test
    void percentileAndEntropyClipAPlantedOutlierOnTheGraph() {
        List<float[]> runs = new java.util.ArrayList<>();
        Random random = new Random(5);
        for (int r = 0; r < 25; r++) {
            float[] x = new float[4000];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian() * 0.5f;
            }
            runs.add(x);
        }
        runs.get(3)[7] = 40f; // one in 100,000

        QuantParams minMax = quantize(SyntheticModels.matMul(14), new MinMaxCalibrator(), runs, dir.resolve("m.onnx"))
                .activations().get("h");
        QuantParams percentile = quantize(SyntheticModels.matMul(14), new PercentileCalibrator(99.99), runs,
                dir.resolve("p.onnx")).activations().get("h");
        QuantParams entropy = quantize(SyntheticModels.matMul(14), new EntropyCalibrator(), runs, dir.resolve("e.onnx"))
                .activations().get("h");

        assertThat(minMax.clipHigh()).isEqualTo(40.0);
        assertThat(percentile.clipHigh()).isBetween(1.5, 2.5);   // 99.99th of |x| for sigma 0.5 is about 1.95
        assertThat(entropy.clipHigh()).isBetween(1.0, 3.0);
        assertThat(percentile.scale()).isLessThan(minMax.scale() / 5); // about 4.3 / 255 against 42 / 255
    }

    @Test
    void rewrittenGraphHasPerChannelInt8WeightsAndQdqActivation() {
        Path out = dir.resolve("q.onnx");
        quantize(SyntheticModels.matMul(14), new MinMaxCalibrator(), boundedRuns(), out);

        ModelProto model = OnnxModels.read(out);
        Map<String, NodeProto> byOutput = new java.util.HashMap<>();
        model.getGraph().getNodeList().forEach(n -> n.getOutputList().forEach(o -> byOutput.put(o, n)));
        NodeProto matMul = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMul")).findFirst().orElseThrow();
        NodeProto weightDq = byOutput.get(matMul.getInput(1));
        NodeProto activationDq = byOutput.get(matMul.getInput(0));
        assertThat(weightDq.getOpType()).isEqualTo("DequantizeLinear");
        assertThat(weightDq.getAttributeList()).extracting(AttributeProto::getName, AttributeProto::getI)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("axis", 1L));
        assertThat(activationDq.getOpType()).isEqualTo("DequantizeLinear");
        assertThat(byOutput.get(activationDq.getInput(0)).getOpType()).isEqualTo("QuantizeLinear");

        TensorProto int8 = initializer(model, weightDq.getInput(0));
        TensorProto scales = initializer(model, weightDq.getInput(1));
        assertThat(int8.getDataType()).isEqualTo(TensorProto.DataType.INT8.getNumber());
        assertThat(int8.getRawData().toByteArray()).containsExactly(
                127, -127, 10,
                76, 70, -127,
                -32, 32, 60,
                0, 95, 20);
        FloatBuffer scaleValues = scales.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        assertThat(new float[] {scaleValues.get(0), scaleValues.get(1), scaleValues.get(2)})
                .containsExactly(0.5f / 127, 2.0f / 127, 1.27f / 127);
        assertThat(model.getGraph().getInitializerList()).extracting(TensorProto::getName).doesNotContain("W");
    }

    @Test
    void belowOpset13WeightsGetOnePerTensorScale() {
        Path out = dir.resolve("q.onnx");
        QuantizationSummary summary = quantize(SyntheticModels.matMul(12), new MinMaxCalibrator(), boundedRuns(), out);

        ModelProto model = OnnxModels.read(out);
        NodeProto weightDq = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("DequantizeLinear") && n.getInput(0).startsWith("W")).findFirst().orElseThrow();
        assertThat(summary.perChannelWeights()).isFalse();
        assertThat(weightDq.getAttributeCount()).isZero();
        assertThat(initializer(model, weightDq.getInput(1)).getDimsCount()).isZero();
        assertThat(maxError(out, boundedRuns().get(0))).isLessThan(0.05);
    }

    @Test
    void quantizedGraphRunsInOnnxRuntimeCloseToFp32() {
        Path out = dir.resolve("q.onnx");
        quantize(SyntheticModels.matMul(14), new MinMaxCalibrator(), boundedRuns(), out);

        // |x| <= 3 and column sums of |W| <= 5: one activation step (4/255) and one weight step per term keep it well under 0.05
        assertThat(maxError(out, boundedRuns().get(2))).isLessThan(0.05);
    }

    @Test
    void metaAugRunsEndToEndAndWritesALoadableModelCloseToFp32() {
        Path out = dir.resolve("metaaug.onnx");
        Quantizer quantizer = new Quantizer(new Quantizer.Settings(new MinMaxCalibrator(), ActivationType.UINT8,
                TensorStatistics.DEFAULT_BINS, 1));
        List<Integer> evaluations = new java.util.ArrayList<>();

        Quantizer.MetaAugOutcome outcome = quantizer.quantizeMetaAug(SyntheticModels.matMul(14), "synthetic",
                SyntheticModels.augmentable(boundedRuns()), new MetaAugCalibration.Settings(2, 3, 0.1, 1.0, 7), out,
                (evaluation, total, candidate, best) -> evaluations.add(evaluation));

        MetaAugCalibration.Result search = outcome.search();
        assertThat(evaluations).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(search.identity().theta()).containsExactly(0, 0);
        assertThat(search.identity().activations().get("h").clipHigh()).isEqualTo(3.0); // theta = 0 is plain min-max
        assertThat(search.best().objective()).isLessThanOrEqualTo(search.identity().objective());
        assertThat(outcome.summary().method()).isEqualTo("metaaug (inner minmax)");
        assertThat(outcome.summary().activations()).isEqualTo(search.best().activations());
        assertThat(maxError(out, boundedRuns().get(2))).isLessThan(0.1);
    }

    /** Largest |y_int8 - y_fp32| over the rows of x, fp32 computed here from the known weights. */
    private static double maxError(Path model, float[] x) throws RuntimeException {
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession session = environment.createSession(model.toString(), new OrtSession.SessionOptions());
                 OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(x), new long[] {x.length / 4, 4});
                 OrtSession.Result result = session.run(Map.of("x", input))) {
                float[][] y = (float[][]) result.get(0).getValue();
                double worst = 0;
                for (int r = 0; r < y.length; r++) {
                    for (int c = 0; c < SyntheticModels.OUT; c++) {
                        double expected = 0;
                        for (int k = 0; k < SyntheticModels.IN; k++) {
                            expected += x[r * 4 + k] * SyntheticModels.WEIGHTS[k * SyntheticModels.OUT + c];
                        }
                        worst = Math.max(worst, Math.abs(y[r][c] - expected));
                    }
                }
                assertThat(worst).isCloseTo(0, within(1.0));
                return worst;
            }
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TensorProto initializer(ModelProto model, String name) {
        return model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }
}
