package dev.metaserve.lmtrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Builds the additive attention bias of the contract: 0 where a query may attend to a key, {@link #MASKED} where not. */
public final class AttentionBias {
    /** The value of a forbidden query/key pair. */
    public static final float MASKED = -1e9f;

    private AttentionBias() {}

    /** Causal bias {@code [1, length, length]} for unpadded sequences starting at position 0. */
    public static NDArray causal(NDManager manager, int length) {
        float[] values = new float[length * length];
        for (int query = 0; query < length; query++) {
            for (int key = query + 1; key < length; key++) {
                values[query * length + key] = MASKED;
            }
        }
        return manager.create(values, new Shape(1, length, length));
    }

    /**
     * Bias {@code [batch, newTokens, past + newTokens]} for right-padded rows: query {@code past + q} of row {@code b}
     * may see key {@code k} when {@code k <= past + q} and {@code k < lengths[b]}.
     */
    public static float[] causalPadded(int[] lengths, int past, int newTokens) {
        int keys = past + newTokens;
        float[] values = new float[lengths.length * newTokens * keys];
        for (int b = 0; b < lengths.length; b++) {
            for (int q = 0; q < newTokens; q++) {
                for (int k = 0; k < keys; k++) {
                    boolean allowed = k <= past + q && k < Math.max(lengths[b], 1);
                    values[(b * newTokens + q) * keys + k] = allowed ? 0f : MASKED;
                }
            }
        }
        return values;
    }
}
