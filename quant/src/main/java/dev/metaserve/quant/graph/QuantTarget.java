package dev.metaserve.quant.graph;

/**
 * One MatMul or Gemm that will run in INT8: its activation input gets per-tensor QuantizeLinear/DequantizeLinear, its
 * weight initializer is stored as INT8 per output channel.
 *
 * @param nodeIndex        position of the node in the graph's node list
 * @param nodeName         the node's name (may be empty in ONNX)
 * @param opType           {@code MatMul} or {@code Gemm}
 * @param activation       name of the activation input (input 0)
 * @param weight           name of the float initializer (input 1), rank 2
 * @param outputChannelAxis axis of {@code weight} that indexes output channels: 1 for MatMul and Gemm, 0 for Gemm with transB
 */
public record QuantTarget(int nodeIndex, String nodeName, String opType, String activation, String weight,
                          int outputChannelAxis) {}
