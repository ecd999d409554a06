package dev.metaserve.quant.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.metaserve.quant.QuantizationException;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.QuantParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a graph into ONNX's QDQ form for the chosen MatMul/Gemm nodes, which ONNX Runtime fuses into integer kernels:
 * <pre>
 *   x ─ QuantizeLinear(x_scale, x_zp) ─ DequantizeLinear(x_scale, x_zp) ─┐
 *   W_int8 ─ DequantizeLinear(W_scale[per channel], 0, axis) ────────────┴─ MatMul/Gemm ─ (fp32 as before)
 * </pre>
 * Weights become INT8 initializers, symmetric, one scale per output channel when the default opset is at least 13
 * (per-axis DequantizeLinear), else one per tensor (opset 10 to 12). The original float weight is dropped unless
 * something else still reads it. Every other node is left as it was; the node order stays topological.
 */
public final class QdqRewriter {
    /** First default-domain opset whose DequantizeLinear takes a per-axis scale. */
    public static final long PER_CHANNEL_MIN_OPSET = 13;
    /** First default-domain opset with QuantizeLinear/DequantizeLinear at all. */
    public static final long QDQ_MIN_OPSET = 10;

    /** The rewritten model and what was done. */
    public record Result(ModelProto model, int nodesQuantized, int weightsQuantized, int activationsQuantized,
                         boolean perChannel) {}

    private QdqRewriter() {}

    /**
     * @param activations per-tensor parameters of every activation in {@code targets}
     * @throws QuantizationException when the opset is below 10 or an activation has no parameters
     */
    public static Result rewrite(ModelProto model, List<QuantTarget> targets, Map<String, QuantParams> activations) {
        long opset = OnnxModels.defaultOpset(model);
        if (opset < QDQ_MIN_OPSET) {
            throw new QuantizationException("the model imports default opset " + opset + "; QuantizeLinear and "
                    + "DequantizeLinear need at least " + QDQ_MIN_OPSET);
        }
        boolean perChannel = opset >= PER_CHANNEL_MIN_OPSET;
        GraphProto graph = model.getGraph();
        Names names = new Names(graph);
        Map<String, TensorProto> initializers = new LinkedHashMap<>();
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));

        List<TensorProto> newInitializers = new ArrayList<>();
        List<NodeProto> weightNodes = new ArrayList<>();
        Map<String, String> dequantizedWeight = new HashMap<>();
        Map<Integer, QuantTarget> targetByNode = new HashMap<>();
        for (QuantTarget target : targets) {
            targetByNode.put(target.nodeIndex(), target);
            String key = target.weight() + "#" + target.outputChannelAxis();
            if (!dequantizedWeight.containsKey(key)) {
                dequantizedWeight.put(key, quantizeWeight(initializers.get(target.weight()),
                        perChannel ? target.outputChannelAxis() : -1, names, newInitializers, weightNodes));
            }
        }

        Map<String, String> dequantizedActivation = new HashMap<>();
        List<NodeProto> nodes = new ArrayList<>(weightNodes);
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            QuantTarget target = targetByNode.get(i);
            if (target == null) {
                nodes.add(node);
                continue;
            }
            String activation = target.activation();
            if (!dequantizedActivation.containsKey(activation)) {
                QuantParams params = activations.get(activation);
                if (params == null) {
                    throw new QuantizationException("no calibration parameters for activation " + activation);
                }
                dequantizedActivation.put(activation, quantizeActivation(activation, params, names, newInitializers, nodes));
            }
            nodes.add(node.toBuilder()
                    .setInput(0, dequantizedActivation.get(activation))
                    .setInput(1, dequantizedWeight.get(target.weight() + "#" + target.outputChannelAxis()))
                    .build());
        }

        Set<String> stillRead = new HashSet<>();
        for (NodeProto node : nodes) {
            stillRead.addAll(node.getInputList());
        }
        graph.getOutputList().forEach(v -> stillRead.add(v.getName()));
        GraphProto.Builder rewritten = graph.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
        for (TensorProto initializer : graph.getInitializerList()) {
            if (stillRead.contains(initializer.getName()) || !isQuantizedWeight(initializer.getName(), targets)) {
                rewritten.addInitializer(initializer);
            }
        }
        rewritten.addAllInitializer(newInitializers);
        // value_info of a replaced weight would describe a tensor that no longer exists
        List<ValueInfoProto> valueInfo = new ArrayList<>(rewritten.getValueInfoList());
        valueInfo.removeIf(v -> isQuantizedWeight(v.getName(), targets) && !stillRead.contains(v.getName()));
        rewritten.clearValueInfo().addAllValueInfo(valueInfo);
        ModelProto out = model.toBuilder().setGraph(rewritten).build();
        return new Result(out, targets.size(), dequantizedWeight.size(), dequantizedActivation.size(), perChannel);
    }

    private static boolean isQuantizedWeight(String name, List<QuantTarget> targets) {
        for (QuantTarget target : targets) {
            if (target.weight().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the INT8 weight, its scales and zero points and a DequantizeLinear; returns the dequantized tensor's name. */
    private static String quantizeWeight(TensorProto weight, int axis, Names names, List<TensorProto> initializers,
                                         List<NodeProto> nodes) {
        int rows = (int) weight.getDims(0);
        int columns = (int) weight.getDims(1);
        WeightQuantizer.QuantizedWeight quantized =
                WeightQuantizer.quantize(WeightQuantizer.floats(weight), rows, columns, axis);
        String base = weight.getName();
        String values = names.fresh(base + "_quantized");
        String scale = names.fresh(base + "_scale");
        String zeroPoint = names.fresh(base + "_zero_point");
        String dequantized = names.fresh(base + "_dequantized");
        initializers.add(TensorProto.newBuilder().setName(values).addAllDims(weight.getDimsList())
                .setDataType(TensorProto.DataType.INT8.getNumber()).setRawData(ByteString.copyFrom(quantized.values())).build());
        TensorProto.Builder scaleTensor = TensorProto.newBuilder().setName(scale)
                .setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(WeightQuantizer.littleEndian(quantized.scales())));
        TensorProto.Builder zeroTensor = TensorProto.newBuilder().setName(zeroPoint)
                .setDataType(TensorProto.DataType.INT8.getNumber())
                .setRawData(ByteString.copyFrom(new byte[quantized.scales().length]));
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("DequantizeLinear")
                .setName(names.fresh(base + "_DequantizeLinear"))
                .addInput(values).addInput(scale).addInput(zeroPoint).addOutput(dequantized);
        if (axis >= 0) {
            scaleTensor.addDims(quantized.scales().length);
            zeroTensor.addDims(quantized.scales().length);
            node.addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(axis));
        }
        initializers.add(scaleTensor.build());
        initializers.add(zeroTensor.build());
        nodes.add(node.build());
        return dequantized;
    }

    /** Adds scalar scale and zero point and a QuantizeLinear -> DequantizeLinear pair; returns the dequantized name. */
    private static String quantizeActivation(String activation, QuantParams params, Names names,
                                             List<TensorProto> initializers, List<NodeProto> nodes) {
        String scale = names.fresh(activation + "_scale");
        String zeroPoint = names.fresh(activation + "_zero_point");
        String quantized = names.fresh(activation + "_quantized");
        String dequantized = names.fresh(activation + "_dequantized");
        initializers.add(TensorProto.newBuilder().setName(scale).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addFloatData(params.scale()).build());
        int type = params.type() == ActivationType.UINT8
                ? TensorProto.DataType.UINT8.getNumber() : TensorProto.DataType.INT8.getNumber();
        initializers.add(TensorProto.newBuilder().setName(zeroPoint).setDataType(type)
                .setRawData(ByteString.copyFrom(new byte[] {(byte) params.zeroPoint()})).build());
        nodes.add(NodeProto.newBuilder().setOpType("QuantizeLinear").setName(names.fresh(activation + "_QuantizeLinear"))
                .addInput(activation).addInput(scale).addInput(zeroPoint).addOutput(quantized).build());
        nodes.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(names.fresh(activation + "_DequantizeLinear"))
                .addInput(quantized).addInput(scale).addInput(zeroPoint).addOutput(dequantized).build());
        return dequantized;
    }

    /** Tensor and node names already taken in the graph, so that added ones never collide. */
    private static final class Names {
        private final Set<String> taken = new HashSet<>();

        Names(GraphProto graph) {
            graph.getInputList().forEach(v -> taken.add(v.getName()));
            graph.getOutputList().forEach(v -> taken.add(v.getName()));
            graph.getValueInfoList().forEach(v -> taken.add(v.getName()));
            graph.getInitializerList().forEach(t -> taken.add(t.getName()));
            for (NodeProto node : graph.getNodeList()) {
                taken.add(node.getName());
                taken.addAll(node.getInputList());
                taken.addAll(node.getOutputList());
            }
        }

        String fresh(String wanted) {
            String name = wanted;
            for (int i = 1; !taken.add(name); i++) {
                name = wanted + "_" + i;
            }
            return name;
        }
    }
}
