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
                long[] mask = encoding.getAttentionMask();
                float[][] hidden = tokenStates(result);
                float[] mean = new float[hidden[0].length];
                int kept = 0;
                for (int t = 0; t < hidden.length; t++) {
                    if (mask[t] == 0) {
                        continue;
                    }
                    kept++;
                    for (int d = 0; d < mean.length; d++) {
                        mean[d] += hidden[t][d];
                    }
                }
                double norm = 0;
                for (int d = 0; d < mean.length; d++) {
                    mean[d] /= kept;
                    norm += mean[d] * mean[d];
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

    /** The per-token states of the one sentence: the model's output shaped [1, tokens, dim]. */
    private static float[][] tokenStates(OrtSession.Result result) throws Exception {
        for (var output : result) {
            if (output.getValue().getValue() instanceof float[][][] states) {
                return states[0];
            }
        }
        throw new IllegalStateException("the model has no [batch, tokens, dim] output");
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
