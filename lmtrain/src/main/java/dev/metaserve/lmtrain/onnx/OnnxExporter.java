package dev.metaserve.lmtrain.onnx;

import static dev.metaserve.lmtrain.onnx.GraphBuilder.floatAttribute;
import static dev.metaserve.lmtrain.onnx.GraphBuilder.intAttribute;
import static dev.metaserve.lmtrain.onnx.GraphBuilder.intsAttribute;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.metaserve.lmtrain.model.CausalSelfAttention;
import dev.metaserve.lmtrain.model.DecoderLayer;
import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.lmtrain.model.GptModel;
import java.util.Map;

/**
 * Writes a {@link GptModel} as an ONNX graph with a KV cache, names and shapes as in the graph contract in models/README.md: inputs
 * {@code input_ids}, {@code position_ids}, {@code attention_bias}, {@code past_key.i}, {@code past_value.i}; outputs
 * {@code logits}, {@code present_key.i}, {@code present_value.i}. The operations mirror the DJL blocks one for one, so
 * both give the same logits up to float rounding.
 */
public final class OnnxExporter {
    public static final int OPSET = 17;
    /** IR version 8 goes with opset 17 and is read by every ONNX Runtime since 1.10. */
    public static final int IR_VERSION = 8;
    public static final String PRODUCER = "metaserve-lmtrain";

    private static final String BATCH = "batch";
    private static final String NEW = "new";
    private static final String PAST = "past";
    private static final String TOTAL = "past_plus_new";

    private OnnxExporter() {}

    public static ModelProto export(GptModel model) {
        GptConfig config = model.config();
        GraphBuilder graph = new GraphBuilder(config.name());
        int d = config.dModel();
        graph.input("input_ids", DataType.INT64, BATCH, NEW);
        graph.input("position_ids", DataType.INT64, BATCH, NEW);
        graph.input("attention_bias", DataType.FLOAT, BATCH, NEW, TOTAL);
        for (int i = 0; i < config.layers(); i++) {
            graph.input("past_key." + i, DataType.FLOAT, BATCH, (long) config.heads(), PAST, (long) config.headDim());
            graph.input("past_value." + i, DataType.FLOAT, BATCH, (long) config.heads(), PAST, (long) config.headDim());
        }
        graph.output("logits", DataType.FLOAT, BATCH, NEW, (long) config.vocabularySize());
        for (int i = 0; i < config.layers(); i++) {
            graph.output("present_key." + i, DataType.FLOAT, BATCH, (long) config.heads(), TOTAL, (long) config.headDim());
            graph.output("present_value." + i, DataType.FLOAT, BATCH, (long) config.heads(), TOTAL, (long) config.headDim());
        }

        // Constants shared by all layers.
        graph.longs("split_heads_shape", new long[] {0, 0, config.heads(), config.headDim()}, 4);
        graph.longs("merge_heads_shape", new long[] {0, 0, d}, 3);
        graph.longs("axis_1", new long[] {1}, 1);
        graph.scalar("attention_scale", (float) (1.0 / Math.sqrt(config.headDim())));
        graph.scalar("sqrt_2", (float) Math.sqrt(2.0));
        graph.scalar("one", 1f);
        graph.scalar("half", 0.5f);

        String tokenTable = graph.floats("token_embedding", values(model.tokenEmbedding()), config.vocabularySize(), d);
        String positionTable = graph.floats("position_embedding", values(model.positionEmbedding()), config.contextLength(), d);
        String x = graph.node("Add", "embeddings", new String[] {
            graph.node("Gather", "token_vectors", new String[] {tokenTable, "input_ids"}, intAttribute("axis", 0)),
            graph.node("Gather", "position_vectors", new String[] {positionTable, "position_ids"}, intAttribute("axis", 0))});
        // [batch, new, total] -> [batch, 1, new, total], broadcast over heads.
        String bias = graph.node("Unsqueeze", "attention_bias_heads", new String[] {"attention_bias", "axis_1"});

        for (int i = 0; i < config.layers(); i++) {
            x = layer(graph, model.layers().get(i), i, x, bias, config);
        }
        String normed = layerNorm(graph, model.finalNorm(), "ln_f", x);
        // Tied head: the transposed token embedding; ORT folds this Transpose of an initializer once at load.
        String head = graph.node("Transpose", "lm_head", new String[] {tokenTable}, intsAttribute("perm", 1, 0));
        graph.node("MatMul", "logits", new String[] {normed, head});

        ModelProto.Builder proto = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph.build());
        for (Map.Entry<String, String> entry : LmMetadata.of(config).entrySet()) {
            proto.addMetadataProps(StringStringEntryProto.newBuilder().setKey(entry.getKey()).setValue(entry.getValue()));
        }
        return proto.build();
    }

    private static String layer(GraphBuilder graph, DecoderLayer layer, int index, String x, String bias, GptConfig config) {
        String prefix = "layer" + index + ".";
        CausalSelfAttention attention = layer.attention();
        String normed = layerNorm(graph, layer.attentionNorm(), prefix + "ln1", x);
        String q = splitHeads(graph, linear(graph, attention.query(), prefix + "q", normed), prefix + "q");
        String kNew = splitHeads(graph, linear(graph, attention.key(), prefix + "k", normed), prefix + "k");
        String vNew = splitHeads(graph, linear(graph, attention.value(), prefix + "v", normed), prefix + "v");
        String k = graph.node("Concat", "present_key." + index, new String[] {"past_key." + index, kNew}, intAttribute("axis", 2));
        String v = graph.node("Concat", "present_value." + index, new String[] {"past_value." + index, vNew}, intAttribute("axis", 2));
        String kT = graph.node("Transpose", prefix + "k_t", new String[] {k}, intsAttribute("perm", 0, 1, 3, 2));
        String scores = graph.node("MatMul", prefix + "scores", new String[] {q, kT});
        scores = graph.node("Mul", prefix + "scores_scaled", new String[] {scores, "attention_scale"});
        scores = graph.node("Add", prefix + "scores_biased", new String[] {scores, bias});
        String weights = graph.node("Softmax", prefix + "attention_weights", new String[] {scores}, intAttribute("axis", -1));
        String mixed = graph.node("MatMul", prefix + "mixed", new String[] {weights, v});
        mixed = graph.node("Transpose", prefix + "mixed_t", new String[] {mixed}, intsAttribute("perm", 0, 2, 1, 3));
        mixed = graph.node("Reshape", prefix + "mixed_merged", new String[] {mixed, "merge_heads_shape"});
        x = graph.node("Add", prefix + "after_attention", new String[] {x, linear(graph, attention.output(), prefix + "o", mixed)});

        normed = layerNorm(graph, layer.feedForwardNorm(), prefix + "ln2", x);
        String hidden = linear(graph, layer.feedForward().up(), prefix + "mlp_up", normed);
        String activated = gelu(graph, prefix + "gelu", hidden);
        return graph.node("Add", prefix + "output", new String[] {x, linear(graph, layer.feedForward().down(), prefix + "mlp_down", activated)});
    }

    /** {@code [B, N, d] -> [B, H, N, head_dim]}. */
    private static String splitHeads(GraphBuilder graph, String projected, String name) {
        String split = graph.node("Reshape", name + "_split", new String[] {projected, "split_heads_shape"});
        return graph.node("Transpose", name + "_heads", new String[] {split}, intsAttribute("perm", 0, 2, 1, 3));
    }

    /** {@code x @ W^T + b}, the weight stored transposed ({@code [in, out]}) for MatMul. */
    private static String linear(GraphBuilder graph, Linear linear, String name, String input) {
        NDArray weight = linear.getParameters().get("weight").getArray();
        int out = (int) weight.getShape().get(0);
        int in = (int) weight.getShape().get(1);
        String w = graph.floats(name + ".weight", transpose(values(weight), out, in), in, out);
        String b = graph.floats(name + ".bias", values(linear.getParameters().get("bias").getArray()), out);
        String product = graph.node("MatMul", name + "_matmul", new String[] {input, w});
        return graph.node("Add", name + "_out", new String[] {product, b});
    }

    private static String layerNorm(GraphBuilder graph, LayerNorm norm, String name, String input) {
        NDArray gamma = norm.getParameters().get("gamma").getArray();
        long width = gamma.getShape().get(0);
        String scale = graph.floats(name + ".scale", values(gamma), width);
        String bias = graph.floats(name + ".bias", values(norm.getParameters().get("beta").getArray()), width);
        return graph.node("LayerNormalization", name + "_out", new String[] {input, scale, bias},
                intAttribute("axis", -1), floatAttribute("epsilon", GptConfig.LAYER_NORM_EPSILON));
    }

    /** Exact GELU: {@code 0.5 * x * (1 + erf(x / sqrt 2))}. */
    private static String gelu(GraphBuilder graph, String name, String x) {
        String erf = graph.node("Erf", name + "_erf", new String[] {graph.node("Div", name + "_scaled", new String[] {x, "sqrt_2"})});
        String onePlus = graph.node("Add", name + "_one_plus", new String[] {erf, "one"});
        String times = graph.node("Mul", name + "_times_x", new String[] {x, onePlus});
        return graph.node("Mul", name + "_out", new String[] {times, "half"});
    }

    private static float[] values(NDArray array) {
        return array.toFloatArray();
    }

    static float[] transpose(float[] matrix, int rows, int columns) {
        float[] transposed = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c * rows + r] = matrix[r * columns + c];
            }
        }
        return transposed;
    }
}
