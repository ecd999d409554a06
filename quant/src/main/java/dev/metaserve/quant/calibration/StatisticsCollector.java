package dev.metaserve.quant.calibration;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.metaserve.quant.QuantizationException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects {@link TensorStatistics} of activation tensors: a copy of the model in which each of them is also a graph
 * output runs on ONNX Runtime over the calibration inputs twice, once for the range and once for the histogram.
 */
public final class StatisticsCollector {
    /** Told after every model run: runs done so far out of the total (2 x inputs). */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);

        Progress NONE = (done, total) -> {};
    }

    private final int bins;
    private final int intraOpThreads;

    /**
     * @param bins           histogram bins per tensor (at least 128; {@link TensorStatistics#DEFAULT_BINS})
     * @param intraOpThreads ONNX Runtime threads per run
     */
    public StatisticsCollector(int bins, int intraOpThreads) {
        if (bins < 128) {
            throw new IllegalArgumentException("bins must be at least 128, was " + bins);
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, was " + intraOpThreads);
        }
        this.bins = bins;
        this.intraOpThreads = intraOpThreads;
    }

    /** The model with each tensor of {@code names} that is not yet a graph input or output added as a float output. */
    public static ModelProto withOutputs(ModelProto model, List<String> names) {
        GraphProto graph = model.getGraph();
        Set<String> present = new HashSet<>();
        graph.getInputList().forEach(v -> present.add(v.getName()));
        graph.getOutputList().forEach(v -> present.add(v.getName()));
        GraphProto.Builder builder = graph.toBuilder();
        for (String name : names) {
            if (present.add(name)) {
                builder.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()))));
            }
        }
        return model.toBuilder().setGraph(builder).build();
    }

    /**
     * Runs the model over every input twice and returns the statistics of each named tensor, in the order given.
     *
     * @throws QuantizationException when ONNX Runtime cannot load or run the model, or a tensor is not float
     */
    public Map<String, TensorStatistics> collect(ModelProto model, List<String> names, CalibrationInputs inputs,
                                                 Progress progress) {
        if (inputs.size() == 0) {
            throw new QuantizationException("no calibration inputs");
        }
        Set<String> graphInputs = new HashSet<>();
        model.getGraph().getInputList().forEach(v -> graphInputs.add(v.getName()));
        Set<String> fetched = new LinkedHashSet<>();
        for (String name : names) {
            if (!graphInputs.contains(name)) {
                fetched.add(name);
            }
        }
        Map<String, StatisticsAccumulator> accumulators = new LinkedHashMap<>();
        for (String name : names) {
            accumulators.put(name, new StatisticsAccumulator(name, bins));
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        byte[] augmented = withOutputs(model, names).toByteArray();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            // basic optimisations only: constant folding and the like, never fusions that would change what a tensor holds
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            try (OrtSession session = createSession(environment, augmented, options)) {
                int total = 2 * inputs.size();
                int done = 0;
                for (int pass = 0; pass < 2; pass++) {
                    for (int i = 0; i < inputs.size(); i++) {
                        runOnce(session, environment, inputs, i, fetched, accumulators, pass == 0);
                        progress.update(++done, total);
                    }
                }
            }
        } catch (OrtException e) {
            throw new QuantizationException("ONNX Runtime failed while calibrating: " + e.getMessage(), e);
        }
        Map<String, TensorStatistics> statistics = new LinkedHashMap<>();
        accumulators.forEach((name, accumulator) -> statistics.put(name, accumulator.toStatistics()));
        return statistics;
    }

    private static OrtSession createSession(OrtEnvironment environment, byte[] model, OrtSession.SessionOptions options) {
        try {
            return environment.createSession(model, options);
        } catch (OrtException e) {
            throw new QuantizationException("ONNX Runtime cannot load the model to calibrate it: " + e.getMessage(), e);
        }
    }

    private static void runOnce(OrtSession session, OrtEnvironment environment, CalibrationInputs inputs, int index,
                                Set<String> fetched, Map<String, StatisticsAccumulator> accumulators, boolean rangePass)
            throws OrtException {
        Map<String, OnnxTensor> feeds = inputs.feeds(index, environment);
        try {
            if (!session.getInputNames().equals(feeds.keySet())) {
                throw new QuantizationException("calibration input " + index + " has " + feeds.keySet()
                        + " but the model takes " + session.getInputNames());
            }
            try (OrtSession.Result result = session.run(feeds, fetched)) {
                for (Map.Entry<String, StatisticsAccumulator> entry : accumulators.entrySet()) {
                    OnnxValue value = fetched.contains(entry.getKey())
                            ? result.get(entry.getKey()).orElseThrow()
                            : feeds.get(entry.getKey());
                    FloatBuffer buffer = floats(entry.getKey(), value);
                    if (rangePass) {
                        entry.getValue().addRange(buffer);
                    } else {
                        entry.getValue().addHistogram(buffer);
                    }
                }
            }
        } finally {
            List<OnnxTensor> tensors = new ArrayList<>(feeds.values());
            tensors.forEach(OnnxTensor::close);
        }
    }

    private static FloatBuffer floats(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new QuantizationException("activation " + name + " is not a float tensor (" + value.getInfo() + ")");
        }
        return tensor.getFloatBuffer();
    }
}
