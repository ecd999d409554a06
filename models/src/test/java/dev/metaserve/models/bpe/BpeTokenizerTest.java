package dev.metaserve.models.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

    static BpeTokenizer tokenizer;

    @BeforeAll
    static void train() {
        tokenizer = new BpeTrainer(600).train(BpeTrainerTest.CORPUS + " Élisabeth était très fâchée, naïve café.");
    }

    private static final List<String> SAMPLES = List.of(
            "It is a truth universally acknowledged.",
            "  leading spaces, trailing spaces  \n\n\ttabs\r\nand CRLF",
            "Élisabeth était très fâchée à Noël — «naïve» café",
            "emoji 👍🏽 family 👨‍👩‍👧 flags 🇫🇷 and ZWJ",
            "unseen scripts: 日本語のテキスト, Ελληνικά, العربية, हिन्दी, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "numbers 3.14159 and 1,000,000; symbols ∑∫√ ™ ©",
            "no-break\u00a0space, zero\u200bwidth, combining e\u0301",
            "",
            " ",
            "<|endoftext|>",
            "before<|endoftext|>after <|endoftext|><|endoftext|> end");

    @Test
    void roundTripsExactlyOnAsciiAccentedEmojiAndUnseenCharacters() {
        for (String text : SAMPLES) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).as(text).isEqualTo(text);
            assertThat(tokenizer.decode(tokenizer.encodeOrdinary(text))).as(text).isEqualTo(text);
        }
    }

    @Test
    void unseenCharactersFallBackToBytes() {
        int[] ids = tokenizer.encode("日");
        assertThat(ids).containsExactly(0xe6, 0x97, 0xa5);
    }

    @Test
    void endOfTextIsOneTokenInEncodeAndPlainTextInEncodeOrdinary() {
        assertThat(tokenizer.encode("a<|endoftext|>b")).contains(BpeTokenizer.END_OF_TEXT_ID).hasSize(3);
        assertThat(tokenizer.encodeOrdinary("a<|endoftext|>b")).doesNotContain(BpeTokenizer.END_OF_TEXT_ID);
        assertThat(tokenizer.decode(new int[] {BpeTokenizer.END_OF_TEXT_ID})).isEqualTo("<|endoftext|>");
    }

    @Test
    void encodingIsDeterministic() {
        for (String text : SAMPLES) {
            assertThat(tokenizer.encode(text)).isEqualTo(tokenizer.encode(text));
        }
        BpeTokenizer again = new BpeTokenizer(tokenizer.merges());
        assertThat(again.encode(SAMPLES.get(0))).isEqualTo(tokenizer.encode(SAMPLES.get(0)));
    }

    @Test
    void saveThenLoadGivesTheSameVocabularyAndEncodings(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bpe.txt");
        tokenizer.save(file);
        BpeTokenizer loaded = BpeTokenizer.load(file);

        assertThat(loaded.vocabularySize()).isEqualTo(tokenizer.vocabularySize());
        for (String text : SAMPLES) {
            assertThat(loaded.encode(text)).as(text).isEqualTo(tokenizer.encode(text));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.subList(0, 4)).containsExactly(
                "metaserve-bpe 1", "pretokenizer gpt2-v1", "special 256 <|endoftext|>", "merges " + tokenizer.mergeCount());
        assertThat(lines).hasSize(4 + tokenizer.mergeCount());
    }

    @Test
    void aMalformedFileIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.writeString(file, "metaserve-bpe 1\npretokenizer gpt2-v1\nspecial 256 <|endoftext|>\nmerges 1\n300 1\n");
        assertThatThrownBy(() -> BpeTokenizer.load(file)).isInstanceOf(IOException.class).hasMessageContaining("merge 0");
        Files.writeString(file, "something else\n");
        assertThatThrownBy(() -> BpeTokenizer.load(file)).isInstanceOf(IOException.class);
    }

    @Test
    void decodingAnUnknownIdIsRefused() {
        assertThatThrownBy(() -> tokenizer.decode(new int[] {tokenizer.vocabularySize()}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void piecesFollowTheGpt2Rule() {
        List<String> pieces = new java.util.ArrayList<>();
        Pretokenizer.split("Hello, world! It's  42\n\nok", pieces::add);
        assertThat(pieces).containsExactly("Hello", ",", " world", "!", " It", "'s", " ", " 42", "\n", "\n", "ok");
        assertThat(String.join("", pieces)).isEqualTo("Hello, world! It's  42\n\nok");
    }
}
