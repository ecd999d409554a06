package dev.metaserve.system;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The answer the product must match, computed the plain way: the tokenizer and ONNX Runtime called
 * directly on one sentence at a time (no padding), mean-pooled and normalised here, with none of the
 * product's code in the way.
 */
final class ReferenceEncoder implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    ReferenceEncoder() throws Exception {
        try (InputStream model = resource("all-minilm-l6-v2.onnx");
             InputStream tokenizerJson = resource("all-minilm-l6-v2-tokenizer.json")) {
            session = env.createSession(model.readAllBytes(), new OrtSession.SessionOptions());
            tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("maxLength", "256", "truncation", "true"));
        }
    }

    float[] embed(String text) throws Exception {
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        long[] shape = {1, ids.length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(encoding.getAttentionMask()), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(encoding.getTypeIds()), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
                float[] mean = new float[hidden[0].length];
                for (float[] token : hidden) {
                    for (int d = 0; d < mean.length; d++) {
                        mean[d] += token[d] / hidden.length;
                    }
                }
                double norm = 0;
                for (float v : mean) {
                    norm += v * v;
                }
                for (int d = 0; d < mean.length; d++) {
                    mean[d] /= (float) Math.sqrt(norm);
                }
                return mean;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static InputStream resource(String name) {
        InputStream in = ReferenceEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " not on the classpath");
        }
        return in;
    }

    @Override
    public void close() throws Exception {
        session.close();
        tokenizer.close();
    }
}
