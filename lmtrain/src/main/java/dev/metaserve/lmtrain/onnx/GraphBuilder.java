package dev.metaserve.lmtrain.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Small helper over {@link GraphProto.Builder}: typed inputs/outputs, initializers from Java arrays, nodes with unique names. */
final class GraphBuilder {
    private final GraphProto.Builder graph;
    private int nodeCount;

    GraphBuilder(String name) {
        this.graph = GraphProto.newBuilder().setName(name);
    }

    /** A graph input; each dimension is a {@code Long} (fixed) or a {@code String} (symbolic). */
    void input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
    }

    void output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            TensorShapeProto.Dimension.Builder dimension = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof String symbol) {
                dimension.setDimParam(symbol);
            } else {
                dimension.setDimValue(((Number) dim).longValue());
            }
            shape.addDim(dimension);
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** A float32 initializer, {@code values} row-major for {@code dims}. */
    String floats(String name, float[] values, long... dims) {
        checkSize(name, values.length, dims);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        graph.addInitializer(tensor(name, TensorProto.DataType.FLOAT, bytes, dims));
        return name;
    }

    /** An int64 initializer. */
    String longs(String name, long[] values, long... dims) {
        checkSize(name, values.length, dims);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        graph.addInitializer(tensor(name, TensorProto.DataType.INT64, bytes, dims));
        return name;
    }

    /** A float32 scalar initializer. */
    String scalar(String name, float value) {
        return floats(name, new float[] {value});
    }

    private static TensorProto tensor(String name, TensorProto.DataType type, ByteBuffer bytes, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(bytes.array()));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    private static void checkSize(String name, int length, long... dims) {
        long expected = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        if (expected != length) {
            throw new IllegalArgumentException("initializer " + name + " has " + length + " values but dims " + Arrays.toString(dims));
        }
    }

    /** Adds a node producing {@code output} and returns the output's name. */
    String node(String opType, String output, String[] inputs, AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + nodeCount++).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        for (AttributeProto attribute : attributes) {
            node.addAttribute(attribute);
        }
        graph.addNode(node);
        return output;
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto intsAttribute(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    GraphProto build() {
        return graph.build();
    }
}
