package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusFetcherTest {
    @TempDir
    Path out;

    @Test
    void keepsExistingFilesWithoutTouchingTheMirror() throws IOException {
        CorpusFetcher.writeGzip(out.resolve(CorpusFetcher.AUSTEN_FILE), "already here\n");
        CorpusFetcher.writeGzip(out.resolve(CorpusFetcher.KJV_FILE), "also here\n");
        // port 1 on loopback: any download attempt would fail
        CorpusFetcher.Settings settings = new CorpusFetcher.Settings(URI.create("http://127.0.0.1:1/debian"), out,
                false, Duration.ofSeconds(1), Duration.ofSeconds(1));
        List<String> progress = new ArrayList<>();

        List<CorpusFetcher.Outcome> outcomes =
                new CorpusFetcher(settings, CorpusFetcher.defaultHttpClient(), progress::add).fetchAll();

        assertThat(outcomes).extracting(CorpusFetcher.Outcome::written).containsExactly(false, false);
        assertThat(progress).allMatch(line -> line.contains("skipped"));
        assertThat(CorpusComparison.readGzip(out.resolve(CorpusFetcher.AUSTEN_FILE))).isEqualTo("already here\n");
    }

    @Test
    void writesGzippedUtf8AndLeavesNoPartialFile() throws IOException {
        Path target = out.resolve("nested").resolve("text.txt.gz");

        CorpusFetcher.writeGzip(target, "her £20,000\n");
        CorpusFetcher.writeGzip(target, "replaced — once\n");

        assertThat(CorpusComparison.readGzip(target)).isEqualTo("replaced — once\n");
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("text.txt.gz");
        }
    }
}
