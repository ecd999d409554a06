package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AustenCorpusTest {

    @Test
    void readsNovelsFromPackageAndSeparatesThemByBlankLine() {
        Map<String, String[]> vectors = new LinkedHashMap<>();
        vectors.put("emma", new String[] {"EMMA", "", "FINIS"});
        vectors.put("mansfieldpark", new String[] {"MANSFIELD PARK", "THE END"});
        Fixtures.LazyLoadDb db = Fixtures.lazyLoadDb(vectors);
        byte[] deb = Fixtures.deb(Map.of(
                AustenCorpus.RDX, Fixtures.gzip(db.serializedIndex()),
                AustenCorpus.RDB, db.rdb()));

        List<AustenCorpus.Novel> novels = AustenCorpus.novels(deb);

        assertThat(novels).extracting(AustenCorpus.Novel::name).containsExactly("emma", "mansfieldpark");
        assertThat(AustenCorpus.text(novels)).isEqualTo("EMMA\n\nFINIS\n\nMANSFIELD PARK\nTHE END\n");
    }
}
