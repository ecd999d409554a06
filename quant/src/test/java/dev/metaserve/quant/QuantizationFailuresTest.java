package dev.metaserve.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.metaserve.quant.calibration.MinMaxCalibrator;
import dev.metaserve.quant.calibration.StatisticsCollector;
import dev.metaserve.quant.graph.OnnxModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizationFailuresTest {
    @TempDir
    Path dir;

    private void quantize(ModelProto model, Path out) {
        new Quantizer(Quantizer.Settings.of(new MinMaxCalibrator())).quantize(model, "test model",
                SyntheticModels.inputs(List.of(new float[] {1, 2, 3, 4})), out, StatisticsCollector.Progress.NONE);
    }

    private void assertNothingWritten() throws Exception {
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> !f.getFileName().toString().endsWith(".txt"))).isEmpty();
        }
    }

    @Test
    void fileThatIsNotOnnxIsRefused() throws Exception {
        Path notOnnx = Files.writeString(dir.resolve("notes.txt"), "this is not a model\n");

        assertThatThrownBy(() -> OnnxModels.read(notOnnx))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("is not an ONNX model");
        assertNothingWritten();
    }

    @Test
    void emptyGraphIsRefused() throws Exception {
        byte[] bytes = SyntheticModels.emptyGraph().toByteArray();

        assertThatThrownBy(() -> OnnxModels.parse(bytes, "empty.onnx"))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("empty graph");
    }

    @Test
    void modelWithNothingToQuantizeIsRefusedNamingItsOperators() throws Exception {
        Path out = dir.resolve("out.onnx");

        assertThatThrownBy(() -> quantize(SyntheticModels.nothingToQuantize(), out))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("no quantizable MatMul or Gemm")
                .hasMessageContaining("[MatMul, Relu]")
                .hasMessageContaining("activation x activation");
        assertNothingWritten();
    }

    @Test
    void outputInAMissingDirectoryIsRefusedBeforeCalibrating() throws Exception {
        Path out = dir.resolve("missing").resolve("out.onnx");

        assertThatThrownBy(() -> quantize(SyntheticModels.matMul(14), out))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("cannot write")
                .hasMessageContaining("does not exist");
        assertNothingWritten();
    }

    @Test
    void outputThatIsADirectoryIsRefused() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out.onnx"));

        assertThatThrownBy(() -> quantize(SyntheticModels.matMul(14), out))
                .isInstanceOf(QuantizationException.class)
                .hasMessageContaining("is a directory");
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void commandExitsWith1AndAMessageForABadModelFile() throws Exception {
        Path notOnnx = Files.writeString(dir.resolve("model.txt"), "garbage");
        Path sentences = Files.writeString(dir.resolve("sentences.txt"), "One sentence.\n");
        Path out = dir.resolve("out.onnx");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = QuantCommand.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                "--model", notOnnx.toString(), "--calibration", sentences.toString(), "--out", out.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("quant: ").contains("is not an ONNX model");
        assertThat(out).doesNotExist();
    }

    @Test
    void commandRefusesAMetaAugPopulationBelowTwo() throws Exception {
        Path sentences = Files.writeString(dir.resolve("sentences.txt"), "One sentence.\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = QuantCommand.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                "--calibration", sentences.toString(), "--method", "metaaug", "--metaaug-population", "1",
                "--out", dir.resolve("out.onnx").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("quant: metaaug needs at least 1 iteration and a population of 2");
        assertThat(dir.resolve("out.onnx")).doesNotExist();
    }
}
