package dev.metaserve.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.metaserve.models.SentenceTokenizer;
import dev.metaserve.models.TokenizedBatch;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Latency of several encoder graphs on the same input: one ONNX Runtime session per model, opened as
 * {@code SentenceEncoder} opens it (same intra-op threads, one inter-op thread, all optimizations), fed real text
 * tokenized to exactly {@code batch x sequenceLength} tokens with no padding. Times the model run only (no tokenizing,
 * no pooling). Models are run in rotating order so that drift on a shared machine falls on all of them alike. Owns the
 * sessions; {@link #close()} releases them.
 */
final class EncoderLatency implements AutoCloseable {
    /** One shape to time. */
    record Setting(int batch, int sequenceLength) {}

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final Map<String, OrtSession> sessions = new LinkedHashMap<>();

    /** Opens a session for each model, in the map's order (the first is the reference for speed-ups). */
    EncoderLatency(Map<String, Path> models, int intraOpThreads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            for (Map.Entry<String, Path> model : models.entrySet()) {
                sessions.put(model.getKey(), environment.createSession(model.getValue().toString(), options));
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Median run time of each model, in milliseconds, after {@code warmUps} untimed runs each.
     *
     * @param texts source text; rows are built from consecutive texts joined until long enough, then truncated
     */
    Map<String, Double> medianMillis(Setting setting, List<String> texts, int warmUps, int repetitions)
            throws OrtException {
        TokenizedBatch batch = exactBatch(setting, texts);
        long[] shape = batch.shape();
        Map<String, List<Double>> times = new LinkedHashMap<>();
        sessions.keySet().forEach(name -> times.put(name, new ArrayList<>()));
        List<String> names = List.copyOf(sessions.keySet());
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, LongBuffer.wrap(batch.inputIds()), shape);
             OnnxTensor mask = OnnxTensor.createTensor(environment, LongBuffer.wrap(batch.attentionMask()), shape);
             OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(batch.tokenTypeIds()), shape)) {
            Map<String, OnnxTensor> all = Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types);
            for (int run = -warmUps; run < repetitions; run++) {
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get(Math.floorMod(k + run, names.size()));
                    double millis = runOnce(sessions.get(name), all);
                    if (run >= 0) {
                        times.get(name).add(millis);
                    }
                }
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        times.forEach((name, list) -> medians.put(name, median(list)));
        return medians;
    }

    private static double runOnce(OrtSession session, Map<String, OnnxTensor> all) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        for (String input : session.getInputNames()) {
            OnnxTensor tensor = all.get(input);
            if (tensor == null) {
                throw new IllegalStateException("model input " + input + " is not one of " + all.keySet());
            }
            feeds.put(input, tensor);
        }
        Set<String> firstOutput = Set.of(session.getOutputNames().iterator().next());
        long start = System.nanoTime();
        try (OrtSession.Result ignored = session.run(feeds, firstOutput)) {
            return (System.nanoTime() - start) / 1e6;
        }
    }

    /** {@code batch} rows of exactly {@code sequenceLength} tokens ([CLS] ... [SEP]), checked. */
    static TokenizedBatch exactBatch(Setting setting, List<String> texts) {
        List<String> rows = new ArrayList<>();
        int next = 0;
        for (int r = 0; r < setting.batch(); r++) {
            StringBuilder row = new StringBuilder();
            // at least one token per word, so this many words always truncates to the full length
            while (row.toString().split("\\s+").length < setting.sequenceLength()) {
                row.append(texts.get(next++ % texts.size())).append(' ');
            }
            rows.add(row.toString().strip());
        }
        try (SentenceTokenizer tokenizer = SentenceTokenizer.load(setting.sequenceLength())) {
            TokenizedBatch batch = tokenizer.tokenize(rows);
            boolean exact = batch.sequence() == setting.sequenceLength()
                    && Arrays.stream(batch.tokenCounts()).allMatch(n -> n == setting.sequenceLength());
            if (!exact) {
                throw new IllegalStateException("could not build " + setting + ": got sequence " + batch.sequence()
                        + ", token counts " + Arrays.toString(batch.tokenCounts()));
            }
            return batch;
        }
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    @Override
    public void close() {
        for (OrtSession session : sessions.values()) {
            try {
                session.close();
            } catch (OrtException e) {
                // closing is best effort; nothing else holds the session
            }
        }
        sessions.clear();
    }
}
