package dev.metaserve.quant;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.metaserve.models.SentenceEncoder;
import dev.metaserve.quant.calibration.ActivationType;
import dev.metaserve.quant.calibration.CalibrationMethod;
import dev.metaserve.quant.calibration.PercentileCalibrator;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.calibration.TensorStatistics;
import dev.metaserve.quant.graph.OnnxModels;
import dev.metaserve.quant.metaaug.MetaAugCalibration;
import dev.metaserve.quant.metaaug.TokenAugmentation;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: the MetaAug claim on a small calibration set. For plain calibration (the inner method) and MetaAug with
 * each seed, prints the error (mean 1 - cosine of the normalised mean-pooled embedding to fp32) on the calibration
 * sentences and on held-out sentences, their gap, and the held-out mean cosine. Run from quant/ with
 * {@code java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) dev.metaserve.quant.MetaAugMeasurement
 * CALIBRATION.txt HELDOUT.txt WORKDIR [sentences=32] [threads=2] [iterations=4] [population=6] [inner=minmax] [seeds=17]}
 * (seeds comma-separated).
 */
public final class MetaAugMeasurement {
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        List<String> calibration = QuantCommand.readSentences(Path.of(args[0]), count);
        List<String> heldOut = QuantCommand.readSentences(Path.of(args[1]), 200);
        Path work = Files.createDirectories(Path.of(args[2]));
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int iterations = args.length > 5 ? Integer.parseInt(args[5]) : MetaAugCalibration.Settings.DEFAULT_ITERATIONS;
        int population = args.length > 6 ? Integer.parseInt(args[6]) : MetaAugCalibration.Settings.DEFAULT_POPULATION;
        CalibrationMethod inner = args.length > 7 ? QuantCommand.parseMethod(args[7]) : CalibrationMethod.MINMAX;
        long[] seeds = Arrays.stream((args.length > 8 ? args[8] : "17").split(",")).mapToLong(Long::parseLong).toArray();

        ModelProto fp32;
        try (InputStream in = MetaAugMeasurement.class.getResourceAsStream(QuantCommand.BUNDLED_MODEL)) {
            fp32 = OnnxModels.parse(in.readAllBytes(), "bundled encoder");
        }
        Path fp32File = work.resolve("fp32.onnx");
        Files.write(fp32File, fp32.toByteArray());
        float[][] calibrationReference;
        float[][] heldOutReference;
        try (SentenceEncoder encoder = SentenceEncoder.load(fp32File, threads)) {
            calibrationReference = encoder.encode(calibration).vectors();
            heldOutReference = encoder.encode(heldOut).vectors();
        }
        SentenceCalibrationInputs inputs = new SentenceCalibrationInputs(calibration, 128, Quantizer.runtimeInputs(fp32));
        Quantizer quantizer = new Quantizer(new Quantizer.Settings(inner.create(PercentileCalibrator.DEFAULT_PERCENTILE),
                ActivationType.UINT8, TensorStatistics.DEFAULT_BINS, threads));

        System.out.printf("%d calibration sentences, %d held-out, inner %s, %d x %d candidates, %d threads%n",
                calibration.size(), heldOut.size(), inner.commandLineName(), iterations, population, threads);
        System.out.println("| model | seed | theta | cal. error | held-out error | gap | held-out mean cos | time s |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        Path plain = work.resolve("plain.onnx");
        QuantizationSummary summary = quantizer.quantize(fp32, "fp32", inputs, plain, StatisticsCollector.Progress.NONE);
        row(inner.commandLineName(), "-", "-", plain, calibration, calibrationReference, heldOut, heldOutReference, threads,
                summary.elapsed().toMillis() / 1000.0);
        for (long seed : seeds) {
            Path out = work.resolve("metaaug-" + seed + ".onnx");
            Quantizer.MetaAugOutcome outcome = quantizer.quantizeMetaAug(fp32, "fp32",
                    new SentenceAugmentation(inputs, TokenAugmentation.bertUncased(128), SentenceAugmentation.DEFAULT_MAX_STRENGTH),
                    new MetaAugCalibration.Settings(iterations, population, MetaAugCalibration.Settings.DEFAULT_MARGIN,
                            MetaAugCalibration.Settings.DEFAULT_MARGIN_WEIGHT, seed), out, MetaAugCalibration.Listener.NONE);
            double[] theta = outcome.search().best().theta();
            StringBuilder text = new StringBuilder();
            for (double t : theta) {
                text.append(text.length() == 0 ? "" : " ").append(String.format("%.2f", t));
            }
            row("metaaug", Long.toString(seed), text.toString(), out, calibration, calibrationReference, heldOut,
                    heldOutReference, threads, outcome.summary().elapsed().toMillis() / 1000.0);
        }
    }

    private static void row(String name, String seed, String theta, Path model, List<String> calibration,
                            float[][] calibrationReference, List<String> heldOut, float[][] heldOutReference,
                            int threads, double seconds) {
        double calibrationError;
        double heldOutError;
        try (SentenceEncoder encoder = SentenceEncoder.load(model, threads)) {
            calibrationError = 1 - meanCosine(encoder.encode(calibration).vectors(), calibrationReference);
            heldOutError = 1 - meanCosine(encoder.encode(heldOut).vectors(), heldOutReference);
        }
        System.out.printf("| %s | %s | %s | %.5f | %.5f | %.5f | %.4f | %.1f |%n", name, seed, theta, calibrationError,
                heldOutError, heldOutError - calibrationError, 1 - heldOutError, seconds);
    }

    private static double meanCosine(float[][] vectors, float[][] reference) {
        double sum = 0;
        for (int i = 0; i < vectors.length; i++) {
            for (int d = 0; d < vectors[i].length; d++) {
                sum += vectors[i][d] * reference[i][d];
            }
        }
        return sum / vectors.length;
    }
}
