package dev.metaserve.lmtrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention with Q, K, V and O projections (with bias). Inputs: {@code x [B, T, d]} and the additive
 * attention bias {@code [B or 1, T, T]} (causality and padding are in the bias). Output: {@code [B, T, d]}.
 */
public final class CausalSelfAttention extends AbstractBlock {
    private final int heads;
    private final int headDim;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    public CausalSelfAttention(GptConfig config) {
        this.heads = config.heads();
        this.headDim = config.headDim();
        this.query = addChildBlock("query", projection(config.dModel()));
        this.key = addChildBlock("key", projection(config.dModel()));
        this.value = addChildBlock("value", projection(config.dModel()));
        this.output = addChildBlock("output", projection(config.dModel()));
    }

    private static Linear projection(int units) {
        return Linear.builder().setUnits(units).optBias(true).build();
    }

    public Linear query() {
        return query;
    }

    public Linear key() {
        return key;
    }

    public Linear value() {
        return value;
    }

    public Linear output() {
        return output;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = inputs.get(1);
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        NDArray q = splitHeads(query.forward(store, new NDList(x), training).singletonOrThrow(), batch, length);
        NDArray k = splitHeads(key.forward(store, new NDList(x), training).singletonOrThrow(), batch, length);
        NDArray v = splitHeads(value.forward(store, new NDList(x), training).singletonOrThrow(), batch, length);
        // Same order of operations as the ONNX export: (q @ k^T) * scale + bias, softmax, @ v.
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul((float) (1.0 / Math.sqrt(headDim))).add(bias.expandDims(1));
        NDArray mixed = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * headDim);
        return output.forward(store, new NDList(mixed), training);
    }

    /** {@code [B, T, d]} to {@code [B, H, T, headDim]}. */
    private NDArray splitHeads(NDArray projected, long batch, long length) {
        return projected.reshape(batch, length, heads, headDim).transpose(0, 2, 1, 3);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Linear projection : new Linear[] {query, key, value, output}) {
            projection.initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
