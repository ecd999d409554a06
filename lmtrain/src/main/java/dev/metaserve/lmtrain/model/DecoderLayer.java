package dev.metaserve.lmtrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** One pre-norm decoder block: {@code x + Attn(LN1(x))}, then {@code x + MLP(LN2(x))}. Inputs: x and the attention bias. */
public final class DecoderLayer extends AbstractBlock {
    private final LayerNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm feedForwardNorm;
    private final FeedForward feedForward;

    public DecoderLayer(GptConfig config) {
        this.attentionNorm = addChildBlock("ln1", layerNorm());
        this.attention = addChildBlock("attention", new CausalSelfAttention(config));
        this.feedForwardNorm = addChildBlock("ln2", layerNorm());
        this.feedForward = addChildBlock("mlp", new FeedForward(config));
    }

    /** LayerNorm over the last axis of {@code [B, T, d]}, with scale and bias. */
    static LayerNorm layerNorm() {
        return LayerNorm.builder().axis(2).optEpsilon(GptConfig.LAYER_NORM_EPSILON).build();
    }

    public LayerNorm attentionNorm() {
        return attentionNorm;
    }

    public CausalSelfAttention attention() {
        return attention;
    }

    public LayerNorm feedForwardNorm() {
        return feedForwardNorm;
    }

    public FeedForward feedForward() {
        return feedForward;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray bias = inputs.get(1);
        NDArray normed = attentionNorm.forward(store, new NDList(x), training).singletonOrThrow();
        x = x.add(attention.forward(store, new NDList(normed, bias), training).singletonOrThrow());
        normed = feedForwardNorm.forward(store, new NDList(x), training).singletonOrThrow();
        x = x.add(feedForward.forward(store, new NDList(normed), training).singletonOrThrow());
        return new NDList(x);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attentionNorm.initialize(manager, dataType, inputShapes[0]);
        attention.initialize(manager, dataType, inputShapes);
        feedForwardNorm.initialize(manager, dataType, inputShapes[0]);
        feedForward.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
