package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches the real packages from Debian; skipped when the mirror cannot be reached. */
class CorpusFetchFromMirrorTest {
    /** The copy of the corpora that the project's shared data holds, when this machine has it. */
    private static final Path SHARED_CORPUS = Path.of("/work/shared/data/corpus");

    @TempDir
    Path out;

    @Test
    void fetchesBothCorporaAndKjvMatchesSharedCopy() {
        HttpClient client = CorpusFetcher.defaultHttpClient();
        assumeTrue(mirrorReachable(client), "Debian mirror unreachable: " + CorpusFetcher.DEFAULT_MIRROR);
        CorpusFetcher.Settings settings = new CorpusFetcher.Settings(CorpusFetcher.DEFAULT_MIRROR, out, false,
                Duration.ofSeconds(20), Duration.ofSeconds(20));
        List<String> progress = new ArrayList<>();

        List<CorpusFetcher.Outcome> outcomes = new CorpusFetcher(settings, client, progress::add).fetchAll();

        assertThat(outcomes).extracting(CorpusFetcher.Outcome::written).containsExactly(true, true);
        String austen = CorpusComparison.readGzip(out.resolve(CorpusFetcher.AUSTEN_FILE));
        assertThat(austen).startsWith("EMMA\n").contains("\n\nMANSFIELD PARK\n").endsWith("THE END\n");
        String kjv = CorpusComparison.readGzip(out.resolve(CorpusFetcher.KJV_FILE));
        assertThat(kjv).startsWith("\nGenesis 1\n\n  1 In the beginning God created the heaven and the earth.\n");
        if (Files.exists(SHARED_CORPUS.resolve(CorpusFetcher.KJV_FILE))) {
            assertThat(CorpusComparison.of(kjv, CorpusComparison.readGzip(SHARED_CORPUS.resolve(CorpusFetcher.KJV_FILE)))
                    .identical()).isTrue();
        }
    }

    private static boolean mirrorReachable(HttpClient client) {
        URI probe = URI.create(CorpusFetcher.DEFAULT_MIRROR + "/" + DebianPackage.BIBLE_KJV_PROGRAM.poolPath());
        try {
            HttpRequest head = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            return client.send(head, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
