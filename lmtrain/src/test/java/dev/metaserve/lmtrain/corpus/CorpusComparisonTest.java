package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorpusComparisonTest {

    @Test
    void identicalTextsAreReportedAsSuch() {
        CorpusComparison same = CorpusComparison.of("a b\nc\n", "a b\nc\n");

        assertThat(same.identical()).isTrue();
        assertThat(same.firstDifferentLine()).isZero();
        assertThat(same.summary()).startsWith("identical text (2 lines, 3 words)");
    }

    @Test
    void fusedLinesAndDroppedLinesShowAsWordDifferences() {
        // the reference fused "FINIS" with the next title and dropped the line "her £20,000"
        CorpusComparison diff = CorpusComparison.of("EMMA\nFINIS\n\nMANSFIELD PARK\nher £20,000\n",
                "EMMA\nFINISMANSFIELD PARK\n");

        assertThat(diff.identical()).isFalse();
        assertThat(diff.firstDifferentLine()).isEqualTo(2);
        assertThat(diff.words()).isEqualTo(6);
        assertThat(diff.referenceWords()).isEqualTo(3);
        assertThat(diff.wordsOnlyHere()).isEqualTo(4); // FINIS, MANSFIELD, her, £20,000
        assertThat(diff.wordsOnlyInReference()).isEqualTo(1); // FINISMANSFIELD
    }
}
