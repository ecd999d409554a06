package dev.metaserve.nodes.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.api.InvalidRequestException;
import dev.metaserve.api.ModelNotFoundException;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.models.bpe.BpeTokenizer;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenerationRequestTest {
    private static final TextGenerationModel MODEL = new TextGenerationModel("tiny-lm", TinyTokenizer.BPE,
            new ScriptedGenerator(32), EnumSet.of(DecodingKind.PLAIN, DecodingKind.NGRAM), Decoding.PLAIN);

    private static GenerateRequest.Builder request() {
        return GenerateRequest.newBuilder().setModel("tiny-lm").setPrompt("In the beginning");
    }

    private static GenerationRequest read(GenerateRequest.Builder request) {
        return GenerationRequest.from(request.build(), MODEL, () -> 42L);
    }

    @Test
    void unsetFieldsTakeTheirDefaults() {
        GenerationRequest read = read(request());

        assertThat(read.job().maxTokens()).isEqualTo(16);
        assertThat(read.job().sampling().temperature()).isEqualTo(1.0);
        assertThat(read.job().sampling().topP()).isEqualTo(1.0);
        assertThat(read.job().sampling().seed()).isEqualTo(42L);
        assertThat(read.job().promptTokens()).containsExactly(TinyTokenizer.BPE.encode("In the beginning"));
        assertThat(read.decoding()).isEqualTo(Decoding.PLAIN);
        assertThat(read.planText()).isEqualTo("decoding=plain");
        assertThat(read.stops()).isEmpty();
    }

    @Test
    void givenFieldsAreKept() {
        GenerationRequest read = read(request().setMaxTokens(5).setTemperature(0).setTopP(0.5f).setSeed(7)
                .addStop("\n").setPlan("decoding=ngram(4,2)"));

        assertThat(read.job().maxTokens()).isEqualTo(5);
        assertThat(read.job().sampling().greedy()).isTrue();
        assertThat(read.job().sampling().topP()).isEqualTo(0.5);
        assertThat(read.job().sampling().seed()).isEqualTo(7L);
        assertThat(read.stops()).containsExactly("\n");
        assertThat(read.decoding()).isEqualTo(new Decoding.Ngram(4, 2));
        assertThat(read.planText()).isEqualTo("decoding=ngram(4,2)");
    }

    @Test
    void anEmptyPromptIsTheEndOfTextToken() {
        assertThat(read(request().setPrompt("")).job().promptTokens()).containsExactly(BpeTokenizer.END_OF_TEXT_ID);
    }

    @Test
    void anotherModelIsNotFound() {
        assertThatThrownBy(() -> read(request().setModel("gpt-9")))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("unknown model 'gpt-9'");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of(request().setMaxTokens(-1), "'max_tokens' must be at least 1"),
                Arguments.of(request().setTemperature(2.5f), "'temperature' must be in [0, 2], was 2.5"),
                Arguments.of(request().setTemperature(-0.1f), "'temperature'"),
                Arguments.of(request().setTemperature(Float.NaN), "'temperature'"),
                Arguments.of(request().setTopP(0), "'top_p' must be in (0, 1], was 0.0"),
                Arguments.of(request().setTopP(1.5f), "'top_p'"),
                Arguments.of(request().addStop("a").addStop("b").addStop("c").addStop("d").addStop("e"),
                        "'stop' holds 5 sequences; at most 4"),
                Arguments.of(request().addStop("a").addStop(""), "'stop' sequence 1 is empty"),
                Arguments.of(request().setPlan("speed=fast"), "'plan': plan 'speed=fast': unknown key 'speed'"),
                Arguments.of(request().setPlan("decoding=draft(4)"), "cannot run decoding draft(4); it runs [plain, ngram(K,N)]"),
                Arguments.of(request().setPlan("decoding=fast"), "'plan'"),
                Arguments.of(request().setPlan("batching=dynamic(8,2000)"), "text generation chooses only 'decoding'"),
                Arguments.of(request().setPrompt("word ".repeat(40)), "'prompt' is "));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badRequestsAreRefusedNamingTheField(GenerateRequest.Builder request, String message) {
        assertThatThrownBy(() -> read(request)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aPromptThatLeavesRoomForOneTokenIsAccepted() {
        StringBuilder prompt = new StringBuilder();
        while (TinyTokenizer.BPE.encode(prompt + "x").length < MODEL.contextLength()) {
            prompt.append("x");
        }
        assertThat(TinyTokenizer.BPE.encode(prompt.toString())).hasSize(MODEL.contextLength() - 1);

        assertThat(read(request().setPrompt(prompt.toString())).job().promptTokens()).hasSize(31);
        assertThatThrownBy(() -> read(request().setPrompt(prompt + "x")))
                .hasMessageContaining("'prompt' is 32 tokens; model 'tiny-lm' has a context of 32 tokens");
    }
}
