package dev.metaserve.lmtrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The MLP of a decoder block: Linear(d, 4d), exact (erf) GELU, Linear(4d, d). */
public final class FeedForward extends AbstractBlock {
    private final Linear up;
    private final Linear down;

    public FeedForward(GptConfig config) {
        this.up = addChildBlock("up", Linear.builder().setUnits(config.mlpWidth()).optBias(true).build());
        this.down = addChildBlock("down", Linear.builder().setUnits(config.dModel()).optBias(true).build());
    }

    public Linear up() {
        return up;
    }

    public Linear down() {
        return down;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hidden = up.forward(store, inputs, training).singletonOrThrow();
        // PyTorch's gelu defaults to the exact form 0.5 x (1 + erf(x / sqrt 2)), which the ONNX export spells out.
        return down.forward(store, new NDList(Activation.gelu(hidden)), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        up.initialize(manager, dataType, inputShapes[0]);
        down.initialize(manager, dataType, up.getOutputShapes(new Shape[] {inputShapes[0]})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
