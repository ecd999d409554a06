package dev.metaserve.lmtrain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttentionBiasTest {
    private static final float M = AttentionBias.MASKED;

    @Test
    void paddedRowSeesOnlyItsTokensAndThePast() {
        // Rows of lengths 3 and 2; two new tokens after a past of 1.
        float[] bias = AttentionBias.causalPadded(new int[] {3, 2}, 1, 2);
        assertThat(bias).containsExactly(
                0, 0, M,
                0, 0, 0,
                0, 0, M,
                0, 0, M);
    }

    @Test
    void configRefusesHeadsThatDoNotDivideTheWidth() {
        assertThatThrownBy(() -> new GptConfig("x", 300, 8, 1, 3, 16)).hasMessageContaining("not a multiple of heads 3");
    }

    @Test
    void parameterCountMatchesTheDjlModel() {
        GptConfig config = new GptConfig("count", 300, 16, 2, 2, 16);
        try (LanguageModel model = LanguageModel.create(config, 1)) {
            long counted = model.block().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertThat(counted).isEqualTo(config.parameterCount());
        }
    }

    @Test
    void draftHasUnderATenthOfTheTargetsParameters() {
        assertThat(GptConfig.draft(4096).parameterCount() * 10).isLessThan(GptConfig.target(4096).parameterCount());
    }
}
