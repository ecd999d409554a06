package dev.metaserve.selector.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.selector.learn.BoostingSettings;
import dev.metaserve.selector.learn.MetaLearnerSettings;
import dev.metaserve.selector.problem.ProblemSet;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.testing.HashingEmbedder;
import dev.metaserve.selector.testing.SyntheticHistory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectorModelFileTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static ProblemSet data;
    private static SelectorModel trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        data = Problems.from(SyntheticHistory.generate(5));
        MetaLearnerSettings settings = new MetaLearnerSettings(new BoostingSettings(60, 4, 0.15, 2, 0.8, 0.8, 1, 32),
                2, 4, 2.0, true, false);
        trained = SelectorTraining.train(data, new HashingEmbedder(), settings, 4, 1, NOW, "synthetic test data");
    }

    private Path written() throws IOException {
        Path file = dir.resolve("selector.model");
        SelectorModelFile.write(trained, file);
        return file;
    }

    @Test
    void aLoadedModelChoosesAsTheTrainedOneDoes() throws Exception {
        SelectorModel loaded = SelectorModelFile.read(written());

        assertThat(loaded.header()).isEqualTo(trained.header());
        assertThat(loaded.header().modelId()).matches("sel-[0-9a-f]{12}");
        assertThat(loaded.header().trainingObservations()).isEqualTo(data.observations());
        assertThat(loaded.header().createdAt()).isEqualTo(NOW);
        for (SelectionProblem p : data.problems()) {
            var query = p.query();
            assertThat(loaded.choose(query.task(), query.candidates()))
                    .as(p.toString()).isEqualTo(trained.choose(query.task(), query.candidates()));
            assertThat(loaded.performance().predict(query.task(), query.candidates()))
                    .containsExactly(trained.performance().predict(query.task(), query.candidates()));
        }
    }

    @Test
    void theSameTrainingGivesTheSameFile() throws Exception {
        MetaLearnerSettings settings = new MetaLearnerSettings(new BoostingSettings(60, 4, 0.15, 2, 0.8, 0.8, 1, 32),
                2, 4, 2.0, true, false);
        SelectorModel again = SelectorTraining.train(data, new HashingEmbedder(), settings, 4, 1, NOW,
                "synthetic test data");
        Path other = dir.resolve("again.model");
        SelectorModelFile.write(again, other);

        assertThat(Files.readAllBytes(other)).isEqualTo(Files.readAllBytes(written()));
    }

    @Test
    void aFlippedPayloadByteIsRefusedByTheChecksum() throws Exception {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 0x10;
        Files.write(file, bytes);

        assertThatThrownBy(() -> SelectorModelFile.read(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is corrupt").hasMessageContaining("SHA-256");
    }

    @Test
    void aTruncatedFileIsRefused() throws Exception {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> SelectorModelFile.read(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is truncated").hasMessageContaining("payload bytes");
        Files.write(file, Arrays.copyOf(bytes, 20));
        assertThatThrownBy(() -> SelectorModelFile.read(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is truncated: it ends inside the header");
    }

    @Test
    void anotherFormatVersionIsRefused() throws Exception {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(SelectorModelFile.MAGIC.length, 2);
        Files.write(file, bytes);

        assertThatThrownBy(() -> SelectorModelFile.read(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("format version 2").hasMessageContaining("reads only version 1");
    }

    @Test
    void aFileThatIsNoModelIsRefused() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello, world");

        assertThatThrownBy(() -> SelectorModelFile.read(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is not a selector model").hasMessageContaining("'hello, w'");
        assertThatThrownBy(() -> SelectorModelFile.read(dir.resolve("missing.model")))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aCorruptReloadLeavesTheCurrentModelServing() throws Exception {
        Path file = written();
        CurrentModel current = new CurrentModel(SelectorModelFile.read(file));
        SelectorModel serving = current.get();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));

        assertThatThrownBy(() -> current.reload(file)).isInstanceOf(ModelFormatException.class);
        assertThat(current.get()).isSameAs(serving);
        var query = data.problems().get(0).query();
        assertThat(current.get().choose(query.task(), query.candidates())).isBetween(0, query.candidates().size() - 1);
    }
}
