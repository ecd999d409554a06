package dev.metaserve.lmtrain.parity;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs an exported decoder in ONNX Runtime, one call per {@link #step}, carrying the KV cache between calls. */
public final class OrtDecoder implements AutoCloseable {
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final int layers;
    private final int heads;
    private final int headDim;

    /** KV cache of a batch: per layer, {@code [batch, H, length, head_dim]} row-major. */
    public record Cache(float[][] keys, float[][] values, int length) {}

    /** Logits {@code [batch, new, V]} row-major and the cache after the step. */
    public record Step(float[] logits, Cache cache) {}

    public OrtDecoder(Path model, int layers, int heads, int headDim) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            this.session = environment.createSession(model.toString(), options);
        }
        this.layers = layers;
        this.heads = heads;
        this.headDim = headDim;
    }

    public Map<String, String> metadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    public Cache emptyCache(int batch) {
        return new Cache(new float[layers][0], new float[layers][0], 0);
    }

    public Step step(long[] inputIds, long[] positionIds, float[] attentionBias, int batch, int newTokens, Cache past)
            throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            long[] tokenShape = {batch, newTokens};
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), tokenShape));
            inputs.put("position_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(positionIds), tokenShape));
            inputs.put("attention_bias", OnnxTensor.createTensor(environment, FloatBuffer.wrap(attentionBias),
                    new long[] {batch, newTokens, past.length() + newTokens}));
            long[] cacheShape = {batch, heads, past.length(), headDim};
            for (int i = 0; i < layers; i++) {
                inputs.put("past_key." + i, OnnxTensor.createTensor(environment, FloatBuffer.wrap(past.keys()[i]), cacheShape));
                inputs.put("past_value." + i, OnnxTensor.createTensor(environment, FloatBuffer.wrap(past.values()[i]), cacheShape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[] logits = floats(result, "logits");
                float[][] keys = new float[layers][];
                float[][] values = new float[layers][];
                for (int i = 0; i < layers; i++) {
                    keys[i] = floats(result, "present_key." + i);
                    values[i] = floats(result, "present_value." + i);
                }
                return new Step(logits, new Cache(keys, values, past.length() + newTokens));
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] floats(OrtSession.Result result, String name) {
        OnnxTensor tensor = (OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
