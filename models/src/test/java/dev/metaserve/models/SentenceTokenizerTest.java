package dev.metaserve.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentenceTokenizerTest {
    @Test
    void batchIsPaddedToTheLongestTextWithMaskZero() {
        try (SentenceTokenizer tokenizer = SentenceTokenizer.load(256)) {
            TokenizedBatch batch = tokenizer.tokenize(List.of("Hello world", ""));

            assertThat(batch.batch()).isEqualTo(2);
            assertThat(batch.sequence()).isEqualTo(4);
            assertThat(batch.tokenCounts()).containsExactly(4, 2);
            assertThat(batch.attentionMask()).containsExactly(1, 1, 1, 1, 1, 1, 0, 0);
            assertThat(batch.inputIds()[0]).isEqualTo(batch.inputIds()[4]); // [CLS] starts both rows
            assertThat(batch.shape()).containsExactly(2, 4);
        }
    }

    @Test
    void encoderLoadedFromAFileMatchesTheClasspathOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.onnx");
        try (InputStream in = SentenceTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> texts = List.of("The cat sits on the mat.");
        try (SentenceEncoder fromFile = SentenceEncoder.load(file, 1);
             SentenceEncoder fromClasspath = SentenceEncoder.load(1)) {
            assertThat(fromFile.encode(texts).vectors()[0]).containsExactly(fromClasspath.encode(texts).vectors()[0]);
        }
    }

    @Test
    void missingModelFileIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> SentenceEncoder.load(dir.resolve("absent.onnx"), 1))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("not found");
    }
}
