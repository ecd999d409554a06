package dev.metaserve.lmtrain.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The GPT-style decoder. Inputs: {@code input_ids [B, T]} (int64), {@code position_ids [B, T]} (int64) and
 * {@code attention_bias [B or 1, T, T]} (float32, 0 or {@link AttentionBias#MASKED}). Output: {@code logits [B, T, V]}.
 * The output head is the transposed token embedding (tied).
 */
public final class GptModel extends AbstractBlock {
    private final GptConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;

    public GptModel(GptConfig config) {
        this.config = config;
        this.tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabularySize(), config.dModel())).build());
        this.positionEmbedding = addParameter(Parameter.builder().setName("position_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.contextLength(), config.dModel())).build());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new DecoderLayer(config)));
        }
        this.finalNorm = addChildBlock("ln_f", DecoderLayer.layerNorm());
    }

    public GptConfig config() {
        return config;
    }

    public NDArray tokenEmbedding() {
        return tokenEmbedding.getArray();
    }

    public NDArray positionEmbedding() {
        return positionEmbedding.getArray();
    }

    public List<DecoderLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public LayerNorm finalNorm() {
        return finalNorm;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray inputIds = inputs.get(0);
        NDArray positionIds = inputs.get(1);
        NDArray bias = inputs.get(2);
        NDArray tokens = store.getValue(tokenEmbedding, inputIds.getDevice(), training);
        NDArray positions = store.getValue(positionEmbedding, inputIds.getDevice(), training);
        NDArray x = Embedding.embedding(inputIds, tokens, SparseFormat.DENSE).singletonOrThrow()
                .add(Embedding.embedding(positionIds, positions, SparseFormat.DENSE).singletonOrThrow());
        for (DecoderLayer layer : layers) {
            x = layer.forward(store, new NDList(x, bias), training).singletonOrThrow();
        }
        x = finalNorm.forward(store, new NDList(x), training).singletonOrThrow();
        return new NDList(x.matMul(tokens.transpose()));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        Shape hidden = new Shape(ids.get(0), ids.get(1), config.dModel());
        for (DecoderLayer layer : layers) {
            layer.initialize(manager, dataType, hidden, inputShapes[2]);
        }
        finalNorm.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.vocabularySize())};
    }
}
