package dev.metaserve.lmtrain.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.metaserve.models.bpe.BpeTokenizer;
import dev.metaserve.models.bpe.BpeTrainer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPiecesTest {
    @TempDir
    Path directory;

    @Test
    void heldOutPartStartsAtALineNearTheLastFivePercent() {
        String text = "line\n".repeat(100);
        int cut = CorpusSplit.cutPoint(text);
        assertThat(text.charAt(cut - 1)).isEqualTo('\n');
        assertThat(cut).isBetween(475, 480);
    }

    @Test
    void splitReadsGzippedCorporaAndKeepsTheirOrder() throws IOException {
        write("a", "alpha\n".repeat(40));
        write("b", "beta\n".repeat(40));
        CorpusSplit split = CorpusSplit.read(directory, List.of("a", "b"));
        assertThat(split.training().get(0) + split.heldOut().get(0)).isEqualTo("alpha\n".repeat(40));
        assertThat(split.heldOut().get(1)).isEqualTo("beta\n".repeat(2));
        assertThat(split.trainingText()).contains("<|endoftext|>beta");
    }

    @Test
    void missingCorpusIsNamed() {
        assertThatThrownBy(() -> CorpusSplit.read(directory, List.of("nope"))).isInstanceOf(IOException.class).hasMessageContaining("nope.txt.gz");
    }

    @Test
    void everyDocumentEndsWithEndOfText() {
        BpeTokenizer tokenizer = new BpeTrainer(260).train("ab ab ab");
        int[] stream = TokenStreams.concatenate(tokenizer, List.of("ab", "<|endoftext|>"));
        assertThat(stream[stream.length - 1]).isEqualTo(BpeTokenizer.END_OF_TEXT_ID);
        // A literal marker inside a document is ordinary text, not a document boundary.
        assertThat(java.util.Arrays.stream(stream).filter(id -> id == BpeTokenizer.END_OF_TEXT_ID).count()).isEqualTo(2);
    }

    @Test
    void windowsAreSeededAndLabelsAreTheNextTokens() {
        int[] tokens = new int[100];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i;
        }
        WindowSampler.Batch batch = new WindowSampler(tokens, 10, 9).next(3);
        WindowSampler.Batch again = new WindowSampler(tokens, 10, 9).next(3);
        assertThat(again.inputs()).containsExactly(batch.inputs());
        for (int i = 0; i < batch.inputs().length; i++) {
            assertThat(batch.labels()[i]).isEqualTo(batch.inputs()[i] + 1);
        }
    }

    @Test
    void scheduleWarmsUpThenDecaysToATenth() {
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(1f, 10, 110);
        assertThat(schedule.getNewValue(5)).isCloseTo(0.5f, offset(1e-6f));
        assertThat(schedule.getNewValue(10)).isCloseTo(1f, offset(1e-6f));
        assertThat(schedule.getNewValue(60)).isCloseTo(0.55f, offset(1e-6f));
        assertThat(schedule.getNewValue(110)).isCloseTo(0.1f, offset(1e-6f));
    }

    @Test
    void scheduleFollowsTheTimeBoundWhenItIsAhead() {
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(1f, 10, 1000, () -> 1.0);
        assertThat(schedule.getNewValue(20)).isCloseTo(0.1f, offset(1e-6f));
    }

    private void write(String name, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(directory.resolve(name + ".txt.gz")))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
