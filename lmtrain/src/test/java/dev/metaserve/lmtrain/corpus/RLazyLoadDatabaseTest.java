package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.lmtrain.corpus.RValue.RStrings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RLazyLoadDatabaseTest {
    private static final Fixtures.LazyLoadDb DB = Fixtures.lazyLoadDb(novels());

    private static Map<String, String[]> novels() {
        Map<String, String[]> novels = new LinkedHashMap<>();
        novels.put("emma", new String[] {"EMMA", "", "Emma Woodhouse, handsome, clever, and rich"});
        novels.put("persuasion", new String[] {"Persuasion", "Finis"});
        return novels;
    }

    @Test
    void readsObjectsThroughGzipIndex() {
        RLazyLoadDatabase database = RLazyLoadDatabase.open(Fixtures.gzip(DB.serializedIndex()), DB.rdb());

        assertThat(database.names()).containsExactly("emma", "persuasion");
        assertThat(((RStrings) database.get("persuasion")).values()).containsExactly("Persuasion", "Finis");
        assertThat(((RStrings) database.get("emma")).values()).hasSize(3).startsWith("EMMA", "");
    }

    @Test
    void alsoAcceptsIndexStoredAsLengthPrefixedZlibBlock() {
        RLazyLoadDatabase database = RLazyLoadDatabase.open(Fixtures.zlibBlock(DB.serializedIndex()), DB.rdb());

        assertThat(((RStrings) database.get("emma")).values().get(2)).isEqualTo("Emma Woodhouse, handsome, clever, and rich");
    }

    @Test
    void refusesIndexPointingBeyondTheRdb() {
        byte[] shortRdb = Arrays.copyOf(DB.rdb(), DB.rdb().length - 1);
        assertThatThrownBy(() -> RLazyLoadDatabase.open(Fixtures.gzip(DB.serializedIndex()), shortRdb))
                .isInstanceOf(CorpusException.class)
                .hasMessageContaining("'persuasion'").hasMessageContaining("outside the .rdb");
    }

    @Test
    void refusesUnknownObjectName() {
        RLazyLoadDatabase database = RLazyLoadDatabase.open(Fixtures.gzip(DB.serializedIndex()), DB.rdb());
        assertThatThrownBy(() -> database.get("sanditon"))
                .isInstanceOf(CorpusException.class).hasMessageContaining("no object 'sanditon'");
    }

    @Test
    void refusesBlockWhoseLengthHeaderDisagrees() {
        byte[] block = Fixtures.zlibBlock(new byte[] {1, 2, 3});
        block[3] = 4;
        assertThatThrownBy(() -> RLazyLoadDatabase.inflateBlock(block))
                .isInstanceOf(CorpusException.class).hasMessageContaining("header says 4");
    }
}
