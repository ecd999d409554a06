package dev.metaserve.models.lm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.metaserve.accelerators.generation.CausalLm;
import dev.metaserve.accelerators.generation.KvCache;
import dev.metaserve.models.InferenceException;
import dev.metaserve.models.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link CausalLm} over an ONNX Runtime session of a graph following the LM contract (inputs {@code input_ids},
 * {@code position_ids}, {@code attention_bias}, {@code past_key.i}/{@code past_value.i}; outputs {@code logits},
 * {@code present_key.i}/{@code present_value.i}; sizes from the {@code metaserve.lm.*} metadata).
 *
 * <p>How a pass avoids copying the caches: the present tensors of a pass are written into direct buffers this model
 * owns (pinned outputs) and fed back unchanged as the next pass's past while the same caches come in the same order
 * (the resident batch). Tokens a cache forgot ({@link KvCache#truncate}) and padding stay in the tensors but are
 * masked out through {@code attention_bias}; positions come from {@code position_ids}, so they need not match slots.
 * When the batch changes, or the masked slots grow too many, the resident caches are copied out into Java arrays and
 * the new batch's past is built from those, compactly. Use from one thread at a time (calls are synchronized).
 */
public final class OnnxCausalLm implements CausalLm {
    private static final float MASKED = -1e9f;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final LmMetadata metadata;
    private final int heads;
    private final int headDim;
    private final int layers;

    /** The last pass's present tensors (the resident batch's past) and the buffers the next pass writes. */
    private KvBuffers front;
    private KvBuffers back;
    private final KvBuffers logits = new KvBuffers(1);
    private List<OnnxKvCache> resident = List.of();
    private int residentSlots;
    private boolean closed;
    private long passes;
    private long regathers;

    private OnnxCausalLm(OrtEnvironment environment, OrtSession session, String source) {
        this.environment = environment;
        this.session = session;
        this.metadata = LmMetadata.read(session, source);
        this.heads = metadata.heads();
        this.headDim = metadata.headDim();
        this.layers = metadata.layers();
        this.front = new KvBuffers(2 * layers);
        this.back = new KvBuffers(2 * layers);
    }

    /**
     * Loads an LM-contract graph from a file.
     *
     * @throws ModelLoadException when the file is missing, the runtime refuses it, or it does not follow the contract
     */
    public static OnnxCausalLm load(Path onnxFile, int intraOpThreads) {
        if (!Files.isRegularFile(onnxFile)) {
            throw new ModelLoadException("language model file " + onnxFile + " not found", null);
        }
        return create(onnxFile.toString(), intraOpThreads, (env, options) -> env.createSession(onnxFile.toString(), options));
    }

    /** Loads an LM-contract graph from the classpath (e.g. {@code /dev/metaserve/models/lm/target.onnx}). */
    public static OnnxCausalLm loadResource(String resource, int intraOpThreads) {
        byte[] bytes;
        try (InputStream in = OnnxCausalLm.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelLoadException("classpath resource " + resource + " not found", null);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("could not read " + resource + ": " + e.getMessage(), e);
        }
        return create(resource, intraOpThreads, (env, options) -> env.createSession(bytes, options));
    }

    private interface SessionFactory {
        OrtSession create(OrtEnvironment environment, OrtSession.SessionOptions options) throws OrtException;
    }

    private static OnnxCausalLm create(String source, int intraOpThreads, SessionFactory sessions) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, was " + intraOpThreads);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = sessions.create(environment, options);
            try {
                return new OnnxCausalLm(environment, session, source);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX Runtime could not load " + source + ": " + e.getMessage(), e);
        }
    }

    /** The graph's {@code metaserve.lm.name}. */
    public String name() {
        return metadata.name();
    }

    @Override
    public int vocabularySize() {
        return metadata.vocabularySize();
    }

    @Override
    public int contextLength() {
        return metadata.contextLength();
    }

    @Override
    public int endOfTextId() {
        return metadata.endOfTextId();
    }

    public int layers() {
        return layers;
    }

    /** Passes run, and how many of them had to rebuild the past from the caches' copies (the rest reused it). */
    public synchronized long passes() {
        return passes;
    }

    public synchronized long regathers() {
        return regathers;
    }

    @Override
    public KvCache newCache() {
        return new OnnxKvCache(this, layers, heads, headDim);
    }

    @Override
    public synchronized List<float[][]> forward(List<KvCache> caches, List<int[]> chunks) {
        return run(caches, chunks, true);
    }

    @Override
    public synchronized void prefill(List<KvCache> caches, List<int[]> chunks) {
        run(caches, chunks, false);
    }

    private List<float[][]> run(List<KvCache> caches, List<int[]> chunks, boolean wantLogits) {
        if (closed) {
            throw new IllegalStateException("language model " + name() + " is closed");
        }
        List<OnnxKvCache> batch = check(caches, chunks);
        int newTokens = chunks.stream().mapToInt(c -> c.length).max().orElseThrow();
        if (!canReuse(batch, newTokens)) {
            regather(batch);
        }
        int rows = batch.size();
        int past = residentSlots;
        int total = past + newTokens;
        back.ensure(Math.multiplyExact(rows * heads * total, headDim));
        if (wantLogits) {
            logits.ensure(Math.multiplyExact(rows * newTokens, vocabularySize()));
        }
        long[] ids = new long[rows * newTokens];
        long[] positions = new long[rows * newTokens];
        float[] bias = new float[rows * newTokens * total];
        Arrays.fill(bias, MASKED);
        for (int r = 0; r < rows; r++) {
            OnnxKvCache cache = batch.get(r);
            int[] chunk = chunks.get(r);
            for (int j = 0; j < newTokens; j++) {
                int at = r * newTokens + j;
                int biasRow = at * total;
                if (j < chunk.length) {
                    ids[at] = chunk[j];
                    positions[at] = cache.length + j;
                    for (int i = 0; i < cache.length; i++) {
                        bias[biasRow + cache.slots[i]] = 0;
                    }
                    Arrays.fill(bias, biasRow + past, biasRow + past + j + 1, 0);
                } else {
                    bias[biasRow + past + j] = 0; // padding attends to itself only; its outputs are ignored
                }
            }
        }
        runSession(rows, newTokens, past, total, ids, positions, bias, wantLogits);
        for (int r = 0; r < rows; r++) {
            OnnxKvCache cache = batch.get(r);
            cache.placeAt(past, chunks.get(r).length);
            cache.length += chunks.get(r).length;
        }
        KvBuffers written = back;
        back = front;
        front = written;
        residentSlots = total;
        passes++;
        return wantLogits ? readLogits(chunks, newTokens) : List.of();
    }

    private void runSession(int rows, int newTokens, int past, int total, long[] ids, long[] positions, float[] bias,
                            boolean wantLogits) {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            long[] tokenShape = {rows, newTokens};
            inputs.put("input_ids", keep(tensors, OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), tokenShape)));
            inputs.put("position_ids",
                    keep(tensors, OnnxTensor.createTensor(environment, LongBuffer.wrap(positions), tokenShape)));
            inputs.put("attention_bias", keep(tensors,
                    OnnxTensor.createTensor(environment, FloatBuffer.wrap(bias), new long[] {rows, newTokens, total})));
            Map<String, OnnxTensor> outputs = new HashMap<>();
            long[] pastShape = {rows, heads, past, headDim};
            long[] presentShape = {rows, heads, total, headDim};
            for (int layer = 0; layer < layers; layer++) {
                inputs.put(LmMetadata.pastKey(layer), keep(tensors, front.tensor(environment, 2 * layer, pastShape)));
                inputs.put(LmMetadata.pastValue(layer), keep(tensors, front.tensor(environment, 2 * layer + 1, pastShape)));
                outputs.put(LmMetadata.presentKey(layer), keep(tensors, back.tensor(environment, 2 * layer, presentShape)));
                outputs.put(LmMetadata.presentValue(layer),
                        keep(tensors, back.tensor(environment, 2 * layer + 1, presentShape)));
            }
            if (wantLogits) {
                outputs.put("logits", keep(tensors,
                        logits.tensor(environment, 0, new long[] {rows, newTokens, vocabularySize()})));
            }
            try (OrtSession.Result ignored = session.run(inputs, Set.of(), outputs)) {
                // every output is pinned: written straight into our buffers (logits left out for a prefill)
            }
        } catch (OrtException e) {
            throw new InferenceException("language model " + name() + " failed on a batch of " + rows + " x "
                    + newTokens + " new tokens after " + past + " slots: " + e.getMessage(), e);
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor keep(List<OnnxTensor> tensors, OnnxTensor tensor) {
        tensors.add(tensor);
        return tensor;
    }

    private List<float[][]> readLogits(List<int[]> chunks, int newTokens) {
        FloatBuffer buffer = logits.get(0);
        int vocabulary = vocabularySize();
        List<float[][]> out = new ArrayList<>(chunks.size());
        for (int r = 0; r < chunks.size(); r++) {
            float[][] rowsOut = new float[chunks.get(r).length][vocabulary];
            for (int j = 0; j < rowsOut.length; j++) {
                buffer.get((r * newTokens + j) * vocabulary, rowsOut[j], 0, vocabulary);
            }
            out.add(rowsOut);
        }
        return out;
    }

    private List<OnnxKvCache> check(List<KvCache> caches, List<int[]> chunks) {
        if (caches.isEmpty() || caches.size() != chunks.size()) {
            throw new IllegalArgumentException("a pass needs one chunk per cache and at least one cache, got "
                    + caches.size() + " caches and " + chunks.size() + " chunks");
        }
        Set<KvCache> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<OnnxKvCache> batch = new ArrayList<>(caches.size());
        for (int i = 0; i < caches.size(); i++) {
            if (!(caches.get(i) instanceof OnnxKvCache cache) || cache.owner != this) {
                throw new IllegalArgumentException("cache " + i + " does not belong to language model " + name());
            }
            if (!seen.add(cache)) {
                throw new IllegalArgumentException("cache " + i + " appears twice in one pass");
            }
            int[] chunk = chunks.get(i);
            if (chunk == null || chunk.length == 0) {
                throw new IllegalArgumentException("chunk " + i + " is empty");
            }
            if (cache.length + chunk.length > contextLength()) {
                throw new IllegalArgumentException("sequence " + i + " would hold " + (cache.length + chunk.length)
                        + " tokens, over the context of " + contextLength());
            }
            for (int token : chunk) {
                if (token < 0 || token >= vocabularySize()) {
                    throw new IllegalArgumentException("token " + token + " of chunk " + i
                            + " is outside the vocabulary [0, " + vocabularySize() + ")");
                }
            }
            batch.add(cache);
        }
        return batch;
    }

    /** The resident tensors serve as past when they hold these caches in this order and not too many dead slots. */
    private boolean canReuse(List<OnnxKvCache> batch, int newTokens) {
        if (!resident.equals(batch)) {
            return false;
        }
        int longest = batch.stream().mapToInt(c -> c.length).max().orElse(0);
        return residentSlots + newTokens <= Math.max(contextLength(), 2 * longest + 32) && residentSlots <= 2 * longest + 32;
    }

    /** Copies the resident caches out, then lays {@code batch}'s caches out compactly as the past of the next pass. */
    private void regather(List<OnnxKvCache> batch) {
        saveResident();
        int past = batch.stream().mapToInt(c -> c.length).max().orElse(0);
        front.ensure(Math.max(1, Math.multiplyExact(batch.size() * heads * past, headDim)));
        for (int tensor = 0; tensor < 2 * layers; tensor++) {
            FloatBuffer buffer = front.get(tensor);
            for (int r = 0; r < batch.size(); r++) {
                OnnxKvCache cache = batch.get(r);
                float[] source = (tensor % 2 == 0 ? cache.keys : cache.values)[tensor / 2];
                for (int head = 0; head < heads; head++) {
                    buffer.put(((r * heads + head) * past) * headDim, source, cache.offset(head, 0),
                            cache.length * headDim);
                }
            }
        }
        for (int r = 0; r < batch.size(); r++) {
            OnnxKvCache cache = batch.get(r);
            int length = cache.length;
            cache.length = 0;
            cache.placeAt(0, length);
            cache.length = length;
            cache.row = r;
        }
        resident = List.copyOf(batch);
        residentSlots = past;
        regathers++;
    }

    /** Brings every resident cache's Java copy up to date from the resident tensors. */
    private void saveResident() {
        for (OnnxKvCache cache : resident) {
            cache.ensureCapacity(cache.length);
            for (int tensor = 0; tensor < 2 * layers; tensor++) {
                FloatBuffer buffer = front.get(tensor);
                float[] target = (tensor % 2 == 0 ? cache.keys : cache.values)[tensor / 2];
                for (int head = 0; head < heads; head++) {
                    int rowStart = (cache.row * heads + head) * residentSlots;
                    for (int i = cache.saved; i < cache.length; i++) {
                        buffer.get((rowStart + cache.slots[i]) * headDim, target, cache.offset(head, i), headDim);
                    }
                }
            }
            cache.saved = cache.length;
            cache.row = -1;
        }
        resident = List.of();
        residentSlots = 0;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        resident = List.of();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("could not close language model " + name() + ": " + e.getMessage(), e);
        }
    }
}
