package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KjvCorpusTest {

    @Test
    void acceptsFullPrintOutAndRefusesTruncatedOne() {
        StringBuilder full = new StringBuilder("\nGenesis 1\n\n");
        for (int verse = 1; verse <= KjvCorpus.VERSE_COUNT; verse++) {
            full.append("  ").append(verse).append(" And it was so.\n");
        }
        full.append("  1 Amen.\n");
        String complete = full.toString().replaceFirst("  1 And it was so.\n", "");

        assertThatCode(() -> KjvCorpus.checkComplete(complete)).doesNotThrowAnyException();
        assertThatThrownBy(() -> KjvCorpus.checkComplete(complete.substring(0, complete.length() / 2)))
                .isInstanceOf(CorpusException.class).hasMessageContaining("expected all 31102");
    }
}
