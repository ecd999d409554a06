package dev.metaserve.quant;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.metaserve.quant.calibration.CalibrationInputs;
import dev.metaserve.quant.metaaug.AugmentableInputs;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/** Small graphs built in tests: {@code x [rows, 4] -> Relu -> MatMul(W [4, 3]) -> y}, and broken variants. */
final class SyntheticModels {
    static final int IN = 4;
    static final int OUT = 3;
    /** Column maxima of |W| are 0.5, 2.0 and 1.27, so per-channel scales are those / 127. */
    static final float[] WEIGHTS = {
            0.5f, -2.0f, 0.1f,
            0.3f, 1.1f, -1.27f,
            -0.125f, 0.5f, 0.6f,
            0.0f, 1.5f, 0.2f};

    private SyntheticModels() {}

    /** x -> Identity -> h -> MatMul(h, W) -> y; the activation h is computed, so it is what calibration observes. */
    static ModelProto matMul(long opset) {
        GraphProto graph = GraphProto.newBuilder().setName("synthetic")
                .addInput(floatInfo("x", -1, IN))
                .addOutput(floatInfo("y", -1, OUT))
                .addInitializer(floatTensor("W", WEIGHTS, IN, OUT))
                .addNode(NodeProto.newBuilder().setOpType("Identity").setName("identity").addInput("x").addOutput("h"))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").setName("matmul").addInput("h").addInput("W").addOutput("y"))
                .build();
        return model(graph, opset);
    }

    /** Only activation x activation MatMul and Relu: nothing to quantize. */
    static ModelProto nothingToQuantize() {
        GraphProto graph = GraphProto.newBuilder().setName("unquantizable")
                .addInput(floatInfo("a", 2, 2)).addInput(floatInfo("b", 2, 2))
                .addOutput(floatInfo("y", 2, 2))
                .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("a").addInput("b").addOutput("ab"))
                .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("ab").addOutput("y"))
                .build();
        return model(graph, 14);
    }

    static ModelProto emptyGraph() {
        return model(GraphProto.newBuilder().setName("empty").build(), 14);
    }

    static ModelProto model(GraphProto graph, long opset) {
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("metaserve-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    static ValueInfoProto floatInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            if (dim < 0) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("rows"));
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
            }
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    static TensorProto floatTensor(String name, float[] values, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        for (float value : values) {
            tensor.addFloatData(value);
        }
        return tensor.build();
    }

    /** Feeds the given rows of x, one run per array, each {@code [length / 4, 4]}. */
    static CalibrationInputs inputs(List<float[]> runs) {
        return new CalibrationInputs() {
            @Override
            public int size() {
                return runs.size();
            }

            @Override
            public Map<String, OnnxTensor> feeds(int index, OrtEnvironment environment) throws OrtException {
                float[] x = runs.get(index);
                return Map.of("x", OnnxTensor.createTensor(environment, FloatBuffer.wrap(x), new long[] {x.length / IN, IN}));
            }
        };
    }

    /** The runs with {@code T_theta(x) = x * (1 + theta0) + theta1 * N(0, 1)}, theta in [0, 0.3]^2. */
    static AugmentableInputs augmentable(List<float[]> runs) {
        return new AugmentableInputs() {
            @Override
            public List<String> parameterNames() {
                return List.of("scale", "noise");
            }

            @Override
            public double[] upperBounds() {
                return new double[] {0.3, 0.3};
            }

            @Override
            public CalibrationInputs original() {
                return inputs(runs);
            }

            @Override
            public CalibrationInputs transformed(double[] theta, long seed) {
                java.util.Random random = new java.util.Random(seed);
                List<float[]> transformed = new java.util.ArrayList<>();
                for (float[] x : runs) {
                    float[] y = new float[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = (float) (x[i] * (1 + theta[0]) + theta[1] * random.nextGaussian());
                    }
                    transformed.add(y);
                }
                return inputs(transformed);
            }

            @Override
            public double distanceFromIdentity(double[] theta) {
                return 1 - (1 - theta[0]) * (1 - theta[1]);
            }
        };
    }
}
