package dev.metaserve.quant.metaaug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenAugmentationTest {
    private static final TokenAugmentation AUGMENTATION = TokenAugmentation.bertUncased(128);

    /** [CLS] 100 inner tokens [SEP]. */
    private static long[] sentence() {
        long[] ids = new long[102];
        ids[0] = 101;
        for (int i = 1; i <= 100; i++) {
            ids[i] = 2000 + i;
        }
        ids[101] = 102;
        return ids;
    }

    @Test
    void allStrengthsZeroIsTheIdentity() {
        long[] ids = sentence();
        double[] zero = new double[5];

        long[] out = AUGMENTATION.apply(ids, zero, List.of(ids, new long[] {101, 7, 8, 102}), new Random(3));

        assertThat(out).containsExactly(ids);
        assertThat(TokenAugmentation.distanceFromIdentity(zero)).isZero();
    }

    @Test
    void replacementChangesTheExpectedShareOfTokensAndKeepsTheSpecialTokens() {
        long[] ids = sentence();
        double[] theta = {0.3, 0, 0, 0, 0};
        Random random = new Random(5);
        int changed = 0;
        int total = 0;
        for (int trial = 0; trial < 200; trial++) {
            long[] out = AUGMENTATION.apply(ids, theta, List.of(), random);
            assertThat(out).hasSameSizeAs(ids);
            assertThat(out[0]).isEqualTo(101);
            assertThat(out[out.length - 1]).isEqualTo(102);
            for (int i = 1; i < out.length - 1; i++) {
                changed += out[i] != ids[i] ? 1 : 0;
                total++;
            }
        }

        assertThat((double) changed / total).isCloseTo(0.3, within(0.02));
        assertThat(TokenAugmentation.distanceFromIdentity(theta)).isCloseTo(0.3, within(1e-12));
        assertThat(TokenAugmentation.distanceFromIdentity(new double[] {0.3, 0.3, 0, 0, 0})).isCloseTo(0.51, within(1e-12));
    }

    @Test
    void dropShortensRepeatAndConcatLengthenAndTheResultIsCutToTheMaximum() {
        long[] ids = sentence();
        long[] other = {101, 7, 8, 9, 102};

        long[] dropped = AUGMENTATION.apply(ids, new double[] {0, 0.5, 0, 0, 0}, List.of(), new Random(1));
        long[] repeated = AUGMENTATION.apply(ids, new double[] {0, 0, 0.5, 0, 0}, List.of(), new Random(1));
        long[] concatenated = new TokenAugmentation(1000, 30522, 512)
                .apply(ids, new double[] {0, 0, 0, 0, 1}, List.of(other), new Random(1));

        assertThat(dropped.length).isBetween(30, 72);
        assertThat(repeated).hasSize(128);
        assertThat(repeated[127]).isEqualTo(102);
        assertThat(concatenated).hasSize(105);
        assertThat(concatenated).endsWith(7, 8, 9, 102);
    }

    @Test
    void sameSeedSameTransformation() {
        double[] theta = {0.2, 0.1, 0.1, 0.2, 0.3};
        List<long[]> pool = List.of(sentence());

        assertThat(AUGMENTATION.apply(sentence(), theta, pool, new Random(9)))
                .containsExactly(AUGMENTATION.apply(sentence(), theta, pool, new Random(9)));
    }
}
