package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DebArchiveTest {
    private static final byte[] PACKAGE = Fixtures.deb(Map.of(
            "usr/lib/bible.data", bytes("EC02 compressed"),
            "usr/bin/bible", bytes("\u007fELF program"),
            "usr/share/doc/readme", bytes("docs")));

    @Test
    void extractsWantedFilesFromDataTarXzInRequestedOrder() {
        Map<String, byte[]> files = DebArchive.extract(PACKAGE,
                new LinkedHashSet<>(List.of("usr/lib/bible.data", "usr/bin/bible")));

        assertThat(files.keySet()).containsExactly("usr/lib/bible.data", "usr/bin/bible");
        assertThat(new String(files.get("usr/lib/bible.data"), StandardCharsets.UTF_8)).isEqualTo("EC02 compressed");
        assertThat(new String(files.get("usr/bin/bible"), StandardCharsets.UTF_8)).isEqualTo("\u007fELF program");
    }

    @Test
    void namesTheFilesThePackageLacks() {
        assertThatThrownBy(() -> DebArchive.extract(PACKAGE, Set.of("usr/lib/bible.data", "usr/lib/missing")))
                .isInstanceOf(CorpusException.class)
                .hasMessageContaining("lacks [usr/lib/missing]");
    }

    @Test
    void refusesBytesThatAreNoArArchive() {
        assertThatThrownBy(() -> DebArchive.extract(bytes("<html>not found</html>"), Set.of("usr/bin/bible")))
                .isInstanceOf(CorpusException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
