package dev.metaserve.lmtrain.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.lmtrain.model.LanguageModel;
import dev.metaserve.lmtrain.onnx.OnnxExporter;
import dev.metaserve.lmtrain.onnx.OnnxFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParityCheckTest {
    @TempDir
    Path directory;

    @Test
    void onnxRuntimeMatchesDjlInAFullPassAndWithTheKvCache() throws Exception {
        GptConfig config = new GptConfig("parity", 512, 32, 2, 4, 32);
        try (LanguageModel model = LanguageModel.create(config, 3, 0.3f)) {
            Path onnx = directory.resolve("parity.onnx");
            OnnxFiles.write(OnnxExporter.export(model.block()), onnx);

            ParityReport report = ParityCheck.run(model, onnx, 5);

            assertThat(report.fullPass()).isLessThanOrEqualTo(ParityCheck.TOLERANCE);
            assertThat(report.incremental()).isLessThanOrEqualTo(ParityCheck.TOLERANCE);
            assertThat(report.comparedLogits()).isEqualTo((16 + 11) * 512L);
        }
    }

    @Test
    void aDifferentModelIsCaughtByTheCheck() throws Exception {
        GptConfig config = new GptConfig("parity", 512, 32, 1, 2, 16);
        try (LanguageModel exported = LanguageModel.create(config, 3, 0.3f);
             LanguageModel other = LanguageModel.create(config, 4, 0.3f)) {
            Path onnx = directory.resolve("other.onnx");
            OnnxFiles.write(OnnxExporter.export(exported.block()), onnx);

            assertThat(ParityCheck.run(other, onnx, 5).within(ParityCheck.TOLERANCE)).isFalse();
        }
    }

    @Test
    void anOnnxFileOfAnotherShapeIsRefusedByName() throws Exception {
        try (LanguageModel small = LanguageModel.create(new GptConfig("small", 300, 16, 1, 2, 16), 3);
             LanguageModel wide = LanguageModel.create(new GptConfig("wide", 300, 16, 1, 2, 32), 3)) {
            Path onnx = directory.resolve("small.onnx");
            OnnxFiles.write(OnnxExporter.export(small.block()), onnx);

            assertThatThrownBy(() -> ParityCheck.run(wide, onnx, 5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("metaserve.lm.d_model is 16");
        }
    }
}
