package dev.metaserve.accelerators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PlanTest {
    @ParameterizedTest
    @ValueSource(strings = {"batching=none,precision=fp32", "batching=dynamic(8,2000),precision=fp32",
            "batching=dynamic(1,0),precision=int8", "batching=dynamic(1024,1000000),precision=int8",
            "batching=none,precision=fp32,decoding=draft(4)", "batching=dynamic(8,2000),precision=int8,decoding=ngram(3,2)"})
    void textFormRoundTrips(String text) {
        assertThat(Plan.parse(text).toString()).isEqualTo(text);
        assertThat(Plan.parse(Plan.parse(text).toString())).isEqualTo(Plan.parse(text));
    }

    @Test
    void parsesBlanksCaseAndDefaults() {
        assertThat(Plan.parse(" batching = Dynamic( 8 , 2000 ) ").batching())
                .isEqualTo(new Batching.Dynamic(8, 2000));
        assertThat(Plan.parse("")).isEqualTo(Plan.DEFAULT);
        assertThat(Plan.DEFAULT.batching()).isEqualTo(Batching.NONE);
        assertThat(Plan.DEFAULT.precision()).isEqualTo(Precision.FP32);
        assertThat(Plan.parse("precision=INT8")).isEqualTo(new Plan(Batching.NONE, Precision.INT8));
        assertThat(Plan.parse("batching=dynamic(4,100)")).isEqualTo(new Plan(new Batching.Dynamic(4, 100), Precision.FP32));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "batching=dynamic(0,10)       | max batch size must be in [1, 1024], was 0",
            "batching=dynamic(1025,10)    | max batch size must be in [1, 1024], was 1025",
            "batching=dynamic(8,1000001)  | max queue delay must be in [0, 1000000]",
            "batching=dynamic(8,-1)       | is neither 'none' nor 'dynamic(MAX_BATCH_SIZE,MAX_QUEUE_DELAY_US)'",
            "batching=static              | batching 'static' is neither",
            "batching=dynamic(8)          | batching 'dynamic(8)' is neither",
            "batching=dynamic(99999999999,1) | max batch size must be in [1, 1024], was 99999999999",
            "batching=dynamic(1,99999999999999999999) | number out of range",
            "precision=int4               | precision 'int4' is not fp32 or int8",
            "decoding=beam(4)             | decoding 'beam(4)' is not 'plain', 'draft(K)' or 'ngram(K,N)'",
            "decoding=draft(0)            | k must be in [1, 16], was 0",
            "decoding=ngram(4,9)          | n must be in [1, 8], was 9",
            "speculate=draft(4)           | unknown key 'speculate'",
            "batching                     | 'batching' is not KEY=VALUE",
            "batching=none,batching=none  | key 'batching' given twice"})
    void badTextIsRefusedNamingIt(String text, String message) {
        assertThatThrownBy(() -> Plan.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void decodingParsesItsOwnTextFormsAndPlainStaysOutOfThePlanText() {
        assertThat(Decoding.parse(" Draft( 4 ) ")).isEqualTo(new Decoding.Draft(4));
        assertThat(Decoding.parse("ngram(3,2)")).isEqualTo(new Decoding.Ngram(3, 2));
        assertThat(Decoding.parse("plain")).isEqualTo(Decoding.PLAIN);
        assertThat(new Decoding.Ngram(3, 2).proposed()).isEqualTo(3);
        assertThat(Decoding.PLAIN.proposed()).isZero();
        Plan speculative = Plan.parse("decoding=ngram(3,2),precision=fp32");
        assertThat(speculative.decoding()).isEqualTo(new Decoding.Ngram(3, 2));
        assertThat(Plan.parse(speculative.toString())).isEqualTo(speculative);
        assertThat(speculative).hasToString("batching=none,precision=fp32,decoding=ngram(3,2)");
        assertThat(Plan.parse("decoding=plain")).hasToString("batching=none,precision=fp32");
    }

    @Test
    void decodingKeyDefaultsToPlainAndIsLeftOutOfThePlainTextForm() {
        assertThat(Plan.parse("batching=none").decoding()).isEqualTo(Decoding.PLAIN);
        assertThat(Plan.parse("decoding = Draft( 4 )").decoding()).isEqualTo(new Decoding.Draft(4));
        assertThat(Plan.parse("decoding=ngram(4,3),precision=int8"))
                .isEqualTo(new Plan(Batching.NONE, Precision.INT8, new Decoding.Ngram(4, 3)));
        assertThat(Plan.parse("decoding=plain")).isEqualTo(Plan.DEFAULT).hasToString("batching=none,precision=fp32");
        assertThat(Plan.DEFAULT.withDecoding(new Decoding.Draft(2)))
                .hasToString("batching=none,precision=fp32,decoding=draft(2)");
        assertThat(new Plan(Batching.NONE, Precision.FP32)).isEqualTo(Plan.DEFAULT);
        assertThatThrownBy(() -> new Plan(Batching.NONE, Precision.FP32, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchingParsesItsOwnTextForms() {
        assertThat(Batching.parse("none")).isEqualTo(Batching.NONE);
        assertThat(Batching.parse("dynamic(16,20000)")).isEqualTo(new Batching.Dynamic(16, 20000));
        assertThat(new Batching.Dynamic(16, 20000)).hasToString("dynamic(16,20000)");
        assertThatThrownBy(() -> Batching.parse("dynamic(2,3)x"))
                .hasMessageContaining("'dynamic(2,3)x'");
        assertThatThrownBy(() -> new Batching.Dynamic(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
