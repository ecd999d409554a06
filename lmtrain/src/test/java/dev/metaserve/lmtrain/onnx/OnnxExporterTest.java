package dev.metaserve.lmtrain.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.lmtrain.model.LanguageModel;
import dev.metaserve.lmtrain.parity.OrtDecoder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxExporterTest {
    private static final GptConfig CONFIG = new GptConfig("exporter-test", 300, 16, 2, 2, 16);

    @TempDir
    Path directory;

    @Test
    void graphHasTheContractsInputsOutputsAndOpset() {
        try (LanguageModel model = LanguageModel.create(CONFIG, 1)) {
            ModelProto proto = OnnxExporter.export(model.block());

            assertThat(proto.getGraph().getInputList()).extracting(ValueInfoProto::getName).containsExactly("input_ids",
                    "position_ids", "attention_bias", "past_key.0", "past_value.0", "past_key.1", "past_value.1");
            assertThat(proto.getGraph().getOutputList()).extracting(ValueInfoProto::getName).containsExactly("logits",
                    "present_key.0", "present_value.0", "present_key.1", "present_value.1");
            assertThat(proto.getOpsetImport(0).getVersion()).isEqualTo(17);
            // The tied head is not stored twice: one [V, d] table.
            assertThat(proto.getGraph().getInitializerList()).filteredOn(t -> t.getDimsCount() == 2 && t.getDims(0) == 300)
                    .hasSize(1);
        }
    }

    @Test
    void onnxRuntimeReadsTheModelMetadata() throws Exception {
        try (LanguageModel model = LanguageModel.create(CONFIG, 1)) {
            Path file = directory.resolve("m.onnx");
            OnnxFiles.write(OnnxExporter.export(model.block()), file);

            try (OrtDecoder decoder = new OrtDecoder(file, 2, 2, 8)) {
                Map<String, String> metadata = decoder.metadata();
                assertThat(metadata).containsEntry("metaserve.lm.vocab_size", "300")
                        .containsEntry("metaserve.lm.context_length", "16")
                        .containsEntry("metaserve.lm.layers", "2")
                        .containsEntry("metaserve.lm.heads", "2")
                        .containsEntry("metaserve.lm.d_model", "16")
                        .containsEntry("metaserve.lm.end_of_text_id", "256")
                        .containsEntry("metaserve.lm.name", "exporter-test");
            }
        }
    }

    @Test
    void presentCacheIsPastFollowedByTheNewKeys() throws Exception {
        try (LanguageModel model = LanguageModel.create(CONFIG, 1, 0.3f)) {
            Path file = directory.resolve("m.onnx");
            OnnxFiles.write(OnnxExporter.export(model.block()), file);
            try (OrtDecoder decoder = new OrtDecoder(file, 2, 2, 8)) {
                OrtDecoder.Step first = decoder.step(new long[] {5, 6}, new long[] {0, 1}, new float[] {0, -1e9f, 0, 0}, 1, 2,
                        decoder.emptyCache(1));
                OrtDecoder.Step second = decoder.step(new long[] {7}, new long[] {2}, new float[] {0, 0, 0}, 1, 1, first.cache());

                assertThat(first.logits()).hasSize(2 * 300);
                assertThat(second.cache().length()).isEqualTo(3);
                float[] before = first.cache().keys()[1];
                float[] after = second.cache().keys()[1];
                assertThat(after).hasSize(2 * 3 * 8);
                for (int head = 0; head < 2; head++) {
                    for (int i = 0; i < 2 * 8; i++) {
                        assertThat(after[head * 3 * 8 + i]).isEqualTo(before[head * 2 * 8 + i]);
                    }
                }
            }
        }
    }

    @Test
    void transposeSwapsRowsAndColumns() {
        assertThat(OnnxExporter.transpose(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)).containsExactly(1, 4, 2, 5, 3, 6);
    }
}
