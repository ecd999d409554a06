package dev.metaserve.quant;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.metaserve.models.SentenceEncoder;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.CalibrationMethod;
import dev.metaserve.quant.calibration.PercentileCalibrator;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.calibration.TensorStatistics;
import dev.metaserve.quant.graph.OnnxModels;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: measures quality (cosine to fp32 on held-out sentences), size and latency (batch 16 x 128 tokens) of the
 * fp32 encoder, ONNX Runtime's dynamic INT8 anchor and this module's methods. Run from quant/ with
 * {@code java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) dev.metaserve.quant.QuantMeasurement
 * CALIBRATION.txt HELDOUT.txt WORKDIR [calibrationSentences] [threads] [activationType] [percentile]}.
 */
public final class QuantMeasurement {
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path calibration = Path.of(args[0]);
        List<String> heldOut = QuantCommand.readSentences(Path.of(args[1]), 200);
        Path work = Path.of(args[2]);
        int calibrationSentences = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        ActivationType type = args.length > 5 ? ActivationType.valueOf(args[5]) : ActivationType.UINT8;
        double percentile = args.length > 6 ? Double.parseDouble(args[6]) : PercentileCalibrator.DEFAULT_PERCENTILE;
        Files.createDirectories(work);

        Map<String, Path> models = new LinkedHashMap<>();
        models.put("fp32", extract("/all-minilm-l6-v2.onnx", work.resolve("fp32.onnx")));
        models.put("ort-dynamic-q (anchor)", extract("/all-minilm-l6-v2-q.onnx", work.resolve("anchor-q.onnx")));
        var parsed = OnnxModels.read(models.get("fp32"));
        List<String> sentences = QuantCommand.readSentences(calibration, calibrationSentences);
        SentenceCalibrationInputs inputs = new SentenceCalibrationInputs(sentences, 128, Quantizer.runtimeInputs(parsed));
        for (CalibrationMethod method : List.of(CalibrationMethod.MINMAX, CalibrationMethod.PERCENTILE, CalibrationMethod.ENTROPY)) {
            Path out = work.resolve(method.commandLineName() + "-" + type + ".onnx");
            QuantizationSummary summary = new Quantizer(new Quantizer.Settings(method.create(percentile),
                    type, TensorStatistics.DEFAULT_BINS, threads)).quantize(parsed, "fp32", inputs, out, StatisticsCollector.Progress.NONE);
            System.out.printf("quantized %s in %.1f s%n", method.commandLineName(), summary.elapsed().toMillis() / 1000.0);
            models.put(method.commandLineName() + " " + type, out);
        }

        float[][] reference;
        try (SentenceEncoder encoder = SentenceEncoder.load(models.get("fp32"), threads)) {
            reference = encoder.encode(heldOut).vectors();
        }
        System.out.printf("%n%d held-out sentences, calibration %d sentences, %d threads%n", heldOut.size(), sentences.size(), threads);
        System.out.println("| model | size MB | mean cos | min cos | batch 16x128 p50 ms | speed-up |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        double fp32Latency = 0;
        for (Map.Entry<String, Path> model : models.entrySet()) {
            double[] cosines;
            try (SentenceEncoder encoder = SentenceEncoder.load(model.getValue(), threads)) {
                float[][] vectors = encoder.encode(heldOut).vectors();
                cosines = new double[vectors.length];
                for (int i = 0; i < vectors.length; i++) {
                    cosines[i] = dot(vectors[i], reference[i]);
                }
            }
            double latency = latencyMillis(model.getValue(), threads, 16, 128);
            if (fp32Latency == 0) {
                fp32Latency = latency;
            }
            System.out.printf("| %s | %.1f | %.4f | %.4f | %.1f | %.2fx |%n", model.getKey(), Files.size(model.getValue()) / 1e6,
                    Arrays.stream(cosines).average().orElse(0), Arrays.stream(cosines).min().orElse(0), latency,
                    fp32Latency / latency);
        }
    }

    private static Path extract(String resource, Path target) throws Exception {
        try (InputStream in = QuantMeasurement.class.getResourceAsStream(resource)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Median of 20 timed runs after 5 warm-up runs, random token ids, full attention mask. */
    static double latencyMillis(Path model, int threads, int batch, int length) throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = environment.createSession(model.toString(), options)) {
                long[] shape = {batch, length};
                long[] ids = new long[batch * length];
                Random random = new Random(42);
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = i % length == 0 ? 101 : i % length == length - 1 ? 102 : 1000 + random.nextInt(28000);
                }
                long[] mask = new long[ids.length];
                Arrays.fill(mask, 1);
                long[] types = new long[ids.length];
                String output = session.getOutputNames().iterator().next();
                List<Double> times = new ArrayList<>();
                try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                     OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                     OnnxTensor typesTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
                    Map<String, OnnxTensor> feeds = new HashMap<>();
                    feeds.put("input_ids", idsTensor);
                    feeds.put("attention_mask", maskTensor);
                    if (session.getInputNames().contains("token_type_ids")) {
                        feeds.put("token_type_ids", typesTensor);
                    }
                    for (int run = 0; run < 25; run++) {
                        long start = System.nanoTime();
                        try (OrtSession.Result ignored = session.run(feeds, java.util.Set.of(output))) {
                            if (run >= 5) {
                                times.add((System.nanoTime() - start) / 1e6);
                            }
                        }
                    }
                }
                times.sort(Double::compare);
                return times.get(times.size() / 2);
            }
        }
    }
}
