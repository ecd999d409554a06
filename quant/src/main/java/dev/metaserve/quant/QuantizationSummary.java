package dev.metaserve.quant;

import dev.metaserve.quant.calibration.QuantParams;
import java.time.Duration;
import java.util.Map;

/**
 * What one quantization did.
 *
 * @param quantizedByOpType  nodes now fed by DequantizeLinear, by op type (MatMul, Gemm)
 * @param keptFp32ByOpType   the original nodes left fp32, by op type
 * @param skipped            MatMul/Gemm nodes left fp32 and why
 * @param activations        per-tensor parameters of each quantized activation
 * @param perChannelWeights  true when weights have one scale per output channel (opset >= 13)
 * @param opset              the model's default-domain opset
 */
public record QuantizationSummary(String method, long opset, boolean perChannelWeights,
                                  Map<String, Integer> quantizedByOpType, Map<String, Integer> keptFp32ByOpType,
                                  Map<String, String> skipped, int weightsQuantized,
                                  Map<String, QuantParams> activations, int calibrationRuns,
                                  long bytesBefore, long bytesAfter, Duration elapsed) {

    /** Human-readable lines for the command's output. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("method            %s%n", method));
        out.append(String.format("opset             %d (%s weights)%n", opset, perChannelWeights ? "per-channel" : "per-tensor"));
        out.append(String.format("quantized nodes   %s%n", quantizedByOpType));
        out.append(String.format("weights int8      %d initializers%n", weightsQuantized));
        out.append(String.format("activations       %d tensors, per-tensor %s%n", activations.size(),
                activations.values().stream().findFirst().map(p -> p.type().toString()).orElse("-")));
        int keptNodes = keptFp32ByOpType.values().stream().mapToInt(Integer::intValue).sum();
        out.append(String.format("kept fp32         %d nodes %s%n", keptNodes, keptFp32ByOpType));
        if (!skipped.isEmpty()) {
            Map<String, Long> reasons = new java.util.TreeMap<>();
            skipped.values().forEach(reason -> reasons.merge(reason, 1L, Long::sum));
            out.append(String.format("skipped MatMul    %s%n", reasons));
        }
        out.append(String.format("calibration runs  %d%n", calibrationRuns));
        out.append(String.format("model size        %.1f MB -> %.1f MB (%.2fx smaller)%n", bytesBefore / 1e6, bytesAfter / 1e6,
                (double) bytesBefore / Math.max(bytesAfter, 1)));
        out.append(String.format("time              %.1f s%n", elapsed.toMillis() / 1000.0));
        return out.toString();
    }
}
