package dev.metaserve.quant.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the nodes of a graph that can be quantized: MatMul and Gemm (default domain) whose input 1 is a rank-2 float
 * initializer held inside the file and whose input 0 is computed at run time. Everything else stays fp32; each MatMul or
 * Gemm left out is listed with the reason.
 */
public final class QuantTargets {
    private QuantTargets() {}

    /** What {@link #find} chose and what it left fp32. */
    public record Selection(List<QuantTarget> targets, Map<String, String> skipped) {
        /** Activation tensors to calibrate, each once, in graph order. */
        public List<String> activations() {
            return targets.stream().map(QuantTarget::activation).distinct().toList();
        }
    }

    public static Selection find(GraphProto graph) {
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto tensor : graph.getInitializerList()) {
            initializers.put(tensor.getName(), tensor);
        }
        Set<String> graphInputs = new HashSet<>();
        for (ValueInfoProto input : graph.getInputList()) {
            graphInputs.add(input.getName());
        }
        List<QuantTarget> targets = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            if (!defaultDomain || !(node.getOpType().equals("MatMul") || node.getOpType().equals("Gemm"))) {
                continue;
            }
            String label = node.getOpType() + " " + (node.getName().isEmpty() ? "#" + i : node.getName());
            String reason = refusal(node, initializers, graphInputs);
            if (reason != null) {
                skipped.put(label, reason);
                continue;
            }
            int axis = node.getOpType().equals("Gemm") && intAttribute(node, "transB", 0) == 1 ? 0 : 1;
            targets.add(new QuantTarget(i, node.getName(), node.getOpType(), node.getInput(0), node.getInput(1), axis));
        }
        return new Selection(List.copyOf(targets), skipped);
    }

    /** Why the node cannot be quantized, or null when it can. */
    private static String refusal(NodeProto node, Map<String, TensorProto> initializers, Set<String> graphInputs) {
        if (node.getInputCount() < 2) {
            return "fewer than two inputs";
        }
        TensorProto weight = initializers.get(node.getInput(1));
        if (weight == null) {
            return "input 1 is computed at run time (activation x activation), not a weight";
        }
        if (graphInputs.contains(weight.getName())) {
            return "weight " + weight.getName() + " is also a graph input, so callers may override it";
        }
        if (initializers.containsKey(node.getInput(0))) {
            return "both inputs are constants";
        }
        if (weight.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
            return "weight is not float32";
        }
        if (weight.getDimsCount() != 2) {
            return "weight has rank " + weight.getDimsCount() + ", not 2";
        }
        if (weight.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return "weight is stored outside the model file (external data)";
        }
        if (node.getOpType().equals("Gemm") && intAttribute(node, "transA", 0) != 0) {
            return "Gemm with transA=1";
        }
        return null;
    }

    static long intAttribute(NodeProto node, String name, long fallback) {
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                return attribute.getI();
            }
        }
        return fallback;
    }
}
