package dev.metaserve.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SentenceEncoderTest {
    private static SentenceEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.load(1);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void embeddingsHaveUnitNormAndDimension384() {
        Embeddings embeddings = encoder.encode(List.of("The cat sits on the mat.", "Stock markets fell sharply today."));

        assertThat(encoder.dimension()).isEqualTo(384);
        assertThat(embeddings.vectors()).hasNumberOfRows(2);
        for (float[] vector : embeddings.vectors()) {
            assertThat(vector).hasSize(384);
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        float[][] v = encoder.encode(List.of(
                "A man is playing a guitar.",
                "Someone is playing an acoustic guitar.",
                "The quarterly tax report is due on Friday.")).vectors();

        double similar = cosine(v[0], v[1]);
        double unrelated = cosine(v[0], v[2]);
        assertThat(similar).isGreaterThan(unrelated + 0.3);
    }

    @Test
    void paddingInABatchDoesNotChangeAnEmbedding() {
        String shortText = "Short one.";
        String longText = "This considerably longer sentence forces the short one to be padded with many positions.";

        float[] alone = encoder.encode(List.of(shortText)).vectors()[0];
        Embeddings batch = encoder.encode(List.of(longText, shortText));

        assertThat(batch.tokenCounts()[1]).isLessThan(batch.tokenCounts()[0]);
        assertThat(maxAbsDiff(alone, batch.vectors()[1])).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void tokenCountsIncludeSpecialTokens() {
        // [CLS] hello world [SEP]; [CLS] [SEP]
        Embeddings embeddings = encoder.encode(List.of("Hello world", ""));

        assertThat(embeddings.tokenCounts()).containsExactly(4, 2);
        assertThat(embeddings.totalTokens()).isEqualTo(6);
    }

    @Test
    void longTextsAreTruncatedToTheMaximumSequenceLength() {
        String longText = String.join(" ", Collections.nCopies(600, "word"));

        Embeddings embeddings = encoder.encode(List.of(longText));

        assertThat(encoder.maxSequenceLength()).isEqualTo(256);
        assertThat(embeddings.tokenCounts()).containsExactly(256);
    }

    @Test
    void emptyListIsRefused() {
        assertThatThrownBy(() -> encoder.encode(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no texts");
    }

    @Test
    void flattenIsRowMajor() {
        Embeddings embeddings = encoder.encode(List.of("one", "two"));

        float[] flat = embeddings.flatten();

        assertThat(flat).hasSize(2 * 384);
        assertThat(flat[384]).isEqualTo(embeddings.vectors()[1][0]);
        assertThat(flat[383]).isEqualTo(embeddings.vectors()[0][383]);
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
