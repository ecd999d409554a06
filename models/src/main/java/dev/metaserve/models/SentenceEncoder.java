package dev.metaserve.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * all-MiniLM-L6-v2 sentence embeddings: HuggingFace tokenizer, BERT encoder on ONNX Runtime (its last hidden state),
 * mean pooling over the real tokens, L2 normalisation. Owns one {@link OrtSession} and one native tokenizer; both are released by
 * {@link #close()}. {@link #encode} may be called from several threads at once.
 */
public final class SentenceEncoder implements AutoCloseable {
    /** Tokens the model was trained on per text; longer texts are truncated. */
    public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 256;

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
    /** The token embeddings; older exports leave it unnamed, so it is found by shape when this name is absent. */
    private static final String LAST_HIDDEN_STATE = "last_hidden_state";
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final int DIMENSION = 384;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Set<String> inputNames;
    private final String outputName;
    private final int maxSequenceLength;

    private SentenceEncoder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
                            int maxSequenceLength) throws OrtException {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.inputNames = session.getInputNames();
        this.maxSequenceLength = maxSequenceLength;
        if (!inputNames.contains(INPUT_IDS) || !inputNames.contains(ATTENTION_MASK)) {
            throw new ModelLoadException("model inputs are " + inputNames + ", expected at least "
                    + List.of(INPUT_IDS, ATTENTION_MASK), null);
        }
        this.outputName = hiddenStateOutput(session);
    }

    /** last_hidden_state if so named, else the one output of shape [batch, sequence, 384]. */
    private static String hiddenStateOutput(OrtSession session) throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (outputs.containsKey(LAST_HIDDEN_STATE)) {
            return LAST_HIDDEN_STATE;
        }
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> output : outputs.entrySet()) {
            if (output.getValue().getInfo() instanceof TensorInfo info && info.type == OnnxJavaType.FLOAT
                    && info.getShape().length == 3 && info.getShape()[2] == DIMENSION) {
                candidates.add(output.getKey());
            }
        }
        if (candidates.size() != 1) {
            throw new ModelLoadException("cannot tell the token embeddings among the model outputs " + outputs
                    + "; expected " + LAST_HIDDEN_STATE + " or one float output of shape [batch, sequence, "
                    + DIMENSION + "]", null);
        }
        return candidates.get(0);
    }

    /** Loads the model with {@value #DEFAULT_MAX_SEQUENCE_LENGTH} tokens per text. */
    public static SentenceEncoder load(int intraOpThreads) {
        return load(intraOpThreads, DEFAULT_MAX_SEQUENCE_LENGTH);
    }

    /**
     * Loads the model and tokenizer from the classpath.
     *
     * @param intraOpThreads    threads ONNX Runtime uses inside one run (at least 1)
     * @param maxSequenceLength tokens per text, special tokens included; longer texts are truncated
     * @throws ModelLoadException when a resource is missing or the runtime refuses it
     */
    public static SentenceEncoder load(int intraOpThreads, int maxSequenceLength) {
        return load(MODEL_RESOURCE, intraOpThreads, maxSequenceLength,
                (environment, options) -> environment.createSession(readResource(MODEL_RESOURCE), options));
    }

    /** As {@link #load(Path, int, int)} with {@value #DEFAULT_MAX_SEQUENCE_LENGTH} tokens per text. */
    public static SentenceEncoder load(Path onnxFile, int intraOpThreads) {
        return load(onnxFile, intraOpThreads, DEFAULT_MAX_SEQUENCE_LENGTH);
    }

    /**
     * Loads an all-MiniLM-L6-v2 encoder graph from a file (e.g. a quantized rewrite of the bundled one), with the
     * bundled tokenizer. The graph must take {@code input_ids} and {@code attention_mask} and return the token
     * embeddings as the classpath model does.
     *
     * @throws ModelLoadException when the file is missing or the runtime refuses it
     */
    public static SentenceEncoder load(Path onnxFile, int intraOpThreads, int maxSequenceLength) {
        if (!Files.isRegularFile(onnxFile)) {
            throw new ModelLoadException("model file " + onnxFile + " not found", null);
        }
        return load(onnxFile.toString(), intraOpThreads, maxSequenceLength,
                (environment, options) -> environment.createSession(onnxFile.toString(), options));
    }

    private interface SessionFactory {
        OrtSession create(OrtEnvironment environment, OrtSession.SessionOptions options) throws OrtException;
    }

    private static SentenceEncoder load(String source, int intraOpThreads, int maxSequenceLength,
                                        SessionFactory sessions) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, was " + intraOpThreads);
        }
        if (maxSequenceLength < 2 || maxSequenceLength > 512) {
            throw new IllegalArgumentException("maxSequenceLength must be in [2, 512], was " + maxSequenceLength);
        }
        HuggingFaceTokenizer tokenizer = SentenceTokenizer.loadNative(maxSequenceLength);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = sessions.create(environment, options);
            try {
                return new SentenceEncoder(environment, session, tokenizer, maxSequenceLength);
            } catch (RuntimeException | OrtException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            tokenizer.close();
            throw new ModelLoadException("ONNX Runtime could not load " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static byte[] readResource(String name) {
        try (InputStream in = SentenceEncoder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ModelLoadException("classpath resource " + name + " not found", null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("could not read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Length of every embedding vector. */
    public int dimension() {
        return DIMENSION;
    }

    /** Tokens per text, special tokens included; longer texts are truncated to this. */
    public int maxSequenceLength() {
        return maxSequenceLength;
    }

    /**
     * Embeds the texts in as few model runs as keep padding small: texts are grouped by token length
     * ({@link LengthBuckets}) and each group is padded to its longest, with attention mask 0.
     *
     * @throws IllegalArgumentException when {@code texts} is empty or holds null
     * @throws InferenceException       when the runtime fails
     */
    public Embeddings encode(List<String> texts) {
        return encode(texts, LengthBuckets.DEFAULT_MAX_PADDING);
    }

    /**
     * As {@link #encode(List)}, with the padding allowed per run as a fraction of its real tokens;
     * {@code Double.POSITIVE_INFINITY} runs all texts at once, padded to the longest.
     */
    public Embeddings encode(List<String> texts, double maxPadding) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to encode");
        }
        for (String text : texts) {
            if (text == null) {
                throw new IllegalArgumentException("texts must not contain null");
            }
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int[] tokenCounts = new int[encodings.length];
        for (int i = 0; i < encodings.length; i++) {
            tokenCounts[i] = encodings[i].getIds().length;
        }
        float[][] vectors = new float[encodings.length][];
        for (int[] run : LengthBuckets.plan(tokenCounts, maxPadding)) {
            float[][] runVectors = encodePadded(encodings, run, tokenCounts);
            for (int r = 0; r < run.length; r++) {
                vectors[run[r]] = runVectors[r];
            }
        }
        return new Embeddings(vectors, tokenCounts);
    }

    /** One model run over the given texts, padded to the longest of them with attention mask 0. */
    private float[][] encodePadded(Encoding[] encodings, int[] run, int[] tokenCounts) {
        int batch = run.length;
        int sequence = 0;
        for (int index : run) {
            sequence = Math.max(sequence, tokenCounts[index]);
        }
        long[] ids = new long[batch * sequence];
        long[] mask = new long[batch * sequence];
        long[] types = new long[batch * sequence];
        for (int r = 0; r < batch; r++) {
            Encoding encoding = encodings[run[r]];
            int offset = r * sequence;
            int count = tokenCounts[run[r]];
            System.arraycopy(encoding.getIds(), 0, ids, offset, count);
            System.arraycopy(encoding.getAttentionMask(), 0, mask, offset, count);
            System.arraycopy(encoding.getTypeIds(), 0, types, offset, count);
        }
        float[] hidden = run(new long[] {batch, sequence}, ids, mask, types);
        return pool(hidden, mask, batch, sequence);
    }

    /** Runs the encoder and returns last_hidden_state, row-major [batch, sequence, dimension]. */
    private float[] run(long[] shape, long[] ids, long[] mask, long[] types) {
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
             OnnxTensor typesTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(INPUT_IDS, idsTensor);
            inputs.put(ATTENTION_MASK, maskTensor);
            if (inputNames.contains(TOKEN_TYPE_IDS)) {
                inputs.put(TOKEN_TYPE_IDS, typesTensor);
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                OnnxValue output = result.get(outputName).orElseThrow();
                FloatBuffer buffer = ((OnnxTensor) output).getFloatBuffer();
                float[] hidden = new float[buffer.remaining()];
                buffer.get(hidden);
                long expected = shape[0] * shape[1] * DIMENSION;
                if (hidden.length != expected) {
                    throw new InferenceException("model returned " + hidden.length + " values for shape ["
                            + shape[0] + ", " + shape[1] + ", " + DIMENSION + "]", null);
                }
                return hidden;
            }
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /** Mean over the positions whose mask is 1, then L2 normalisation. */
    private static float[][] pool(float[] hidden, long[] mask, int batch, int sequence) {
        float[][] vectors = new float[batch][DIMENSION];
        for (int b = 0; b < batch; b++) {
            double[] sum = new double[DIMENSION];
            int counted = 0;
            for (int s = 0; s < sequence; s++) {
                if (mask[b * sequence + s] == 0) {
                    continue;
                }
                counted++;
                int base = (b * sequence + s) * DIMENSION;
                for (int d = 0; d < DIMENSION; d++) {
                    sum[d] += hidden[base + d];
                }
            }
            double norm = 0;
            for (int d = 0; d < DIMENSION; d++) {
                sum[d] /= Math.max(counted, 1);
                norm += sum[d] * sum[d];
            }
            double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
            for (int d = 0; d < DIMENSION; d++) {
                vectors[b][d] = (float) (sum[d] * scale);
            }
        }
        return vectors;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("could not close the ONNX Runtime session", e);
        } finally {
            tokenizer.close();
        }
    }
}
