package dev.metaserve.lmtrain.parity;

/**
 * Largest absolute logit differences found by {@link ParityCheck}.
 *
 * @param fullPass ONNX Runtime (past = 0) against DJL, over the valid positions of both rows
 * @param incremental ONNX Runtime with the KV cache (prefill, then one token per call) against DJL
 * @param comparedLogits how many logits were compared in each of the two
 */
public record ParityReport(double fullPass, double incremental, long comparedLogits) {
    public boolean within(double tolerance) {
        return fullPass <= tolerance && incremental <= tolerance;
    }

    @Override
    public String toString() {
        return String.format("max |ORT - DJL|: full pass %.3g, incremental with KV cache %.3g (%d logits each)", fullPass,
                incremental, comparedLogits);
    }
}
