package dev.metaserve.accelerators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecodingTest {
    @ParameterizedTest
    @ValueSource(strings = {"plain", "draft(1)", "draft(16)", "ngram(1,1)", "ngram(16,8)", "ngram(4,3)"})
    void textFormRoundTrips(String text) {
        assertThat(Decoding.parse(text)).hasToString(text);
    }

    @Test
    void parsesBlanksAndCase() {
        assertThat(Decoding.parse(" PLAIN ")).isSameAs(Decoding.PLAIN);
        assertThat(Decoding.parse("Draft ( 4 )")).isEqualTo(new Decoding.Draft(4));
        assertThat(Decoding.parse("NGRAM( 4 , 2 )")).isEqualTo(new Decoding.Ngram(4, 2));
    }

    @Test
    void proposedCountsTheTokensAStepProposes() {
        assertThat(Decoding.PLAIN.proposed()).isZero();
        assertThat(new Decoding.Draft(5).proposed()).isEqualTo(5);
        assertThat(new Decoding.Ngram(3, 2).proposed()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "draft(0)            | decoding 'draft(0)': draft decoding: k must be in [1, 16], was 0",
            "draft(17)           | draft decoding: k must be in [1, 16], was 17",
            "ngram(4,0)          | ngram decoding: n must be in [1, 8], was 0",
            "ngram(4,9)          | ngram decoding: n must be in [1, 8], was 9",
            "ngram(0,2)          | ngram decoding: k must be in [1, 16], was 0",
            "draft(9999999999)   | is not 'plain', 'draft(K)' or 'ngram(K,N)'",
            "draft(999999999)    | was 999999999",
            "draft               | decoding 'draft' is not 'plain', 'draft(K)' or 'ngram(K,N)'",
            "ngram(4)            | decoding 'ngram(4)' is not",
            "draft(-1)           | decoding 'draft(-1)' is not",
            "greedy              | decoding 'greedy' is not"})
    void badTextIsRefusedNamingIt(String text, String message) {
        assertThatThrownBy(() -> Decoding.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> Decoding.parse(null)).hasMessageContaining("was null");
    }
}
