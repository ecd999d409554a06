package dev.metaserve.nodes.generation;

import static dev.metaserve.nodes.generation.TinyTokenizer.BPE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionTextTest {
    /** The UTF-8 bytes of {@code text} as byte tokens (ids 0-255), one per step. */
    private static int[][] byteSteps(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[][] steps = new int[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            steps[i] = new int[] {bytes[i] & 0xFF};
        }
        return steps;
    }

    private static List<String> feed(CompletionText text, int[][] steps) {
        List<String> out = new ArrayList<>();
        for (int[] step : steps) {
            out.add(text.append(step).text());
        }
        return out;
    }

    @Test
    void aCharacterSplitOverTokensIsEmittedOnlyWhenWhole() {
        CompletionText text = new CompletionText(BPE, List.of());

        // é is two bytes, the emoji four: each byte its own token
        List<String> out = feed(text, byteSteps("aé😀b"));

        assertThat(out).containsExactly("a", "", "é", "", "", "", "😀", "b");
        assertThat(text.finish()).isEmpty();
    }

    @Test
    void anIncompleteCharacterAtTheEndBecomesAReplacementCharacter() {
        CompletionText text = new CompletionText(BPE, List.of());

        assertThat(text.append(new int[] {'o', 'k', 0xE2, 0x82}).text()).isEqualTo("ok");
        assertThat(text.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void mergedTokensDecodeToTheTextTheyCameFrom() {
        CompletionText text = new CompletionText(BPE, List.of());
        String source = "It is a truth universally acknowledged, that a single man";

        String joined = String.join("", feed(text, TinyTokenizer.steps(source))) + text.finish();

        assertThat(BPE.encode(source).length).isLessThan(source.length());
        assertThat(joined).isEqualTo(source);
    }

    @Test
    void textThatMayStartAStopSequenceIsHeldBackAndReleasedWhenItDoesNot() {
        CompletionText text = new CompletionText(BPE, List.of("THE END"));

        assertThat(text.append(BPE.encode("and the T")).text()).isEqualTo("and the ");
        assertThat(text.append(BPE.encode("HE")).text()).isEmpty();
        assertThat(text.append(BPE.encode(" earth")).text()).isEqualTo("THE earth");
        assertThat(text.stopped()).isFalse();
    }

    @Test
    void aStopSequenceCutsTheTextAndNothingAfterItIsEverReturned() {
        CompletionText text = new CompletionText(BPE, List.of("THE END"));

        assertThat(text.append(BPE.encode("darkness. THE E")).text()).isEqualTo("darkness. ");
        assertThat(text.append(BPE.encode("ND. And more")).text()).isEmpty();

        assertThat(text.stopped()).isTrue();
        assertThat(text.append(BPE.encode("later")).text()).isEmpty();
        assertThat(text.finish()).isEmpty();
    }

    @Test
    void theEarliestOfSeveralStopSequencesWins() {
        CompletionText text = new CompletionText(BPE, List.of("earth", "heaven"));

        assertThat(text.append(BPE.encode("God created the heaven and the earth")).text())
                .isEqualTo("God created the ");
        assertThat(text.stopped()).isTrue();
    }

    @Test
    void aStopSequenceWithAMultiByteCharacterSplitOverTokensIsFound() {
        CompletionText text = new CompletionText(BPE, List.of("é!"));

        List<String> out = feed(text, byteSteps("café!x"));

        assertThat(String.join("", out)).isEqualTo("caf");
        assertThat(text.stopped()).isTrue();
    }

    @Test
    void heldTextIsReleasedAtTheEnd() {
        CompletionText text = new CompletionText(BPE, List.of("The end."));

        assertThat(text.append(BPE.encode("void; The en")).text()).isEqualTo("void; ");
        assertThat(text.finish()).isEqualTo("The en");
        assertThat(text.stopped()).isFalse();
    }

    @Test
    void appendCountsTheTokensUsedUpToTheOneThatCompletesAStop() {
        CompletionText text = new CompletionText(BPE, List.of("THE END"));
        int[] before = BPE.encode("darkness. ");
        int[] stop = BPE.encode("THE END");
        int[] after = BPE.encode(". And more");
        int[] all = new int[before.length + stop.length + after.length];
        System.arraycopy(before, 0, all, 0, before.length);
        System.arraycopy(stop, 0, all, before.length, stop.length);
        System.arraycopy(after, 0, all, before.length + stop.length, after.length);

        CompletionText.Appended appended = text.append(all);

        assertThat(appended.text()).isEqualTo("darkness. ");
        assertThat(appended.tokens()).isEqualTo(before.length + stop.length);
        assertThat(text.stopped()).isTrue();
        assertThat(text.append(after)).isEqualTo(new CompletionText.Appended("", 0));
    }

    @Test
    void withoutAStopEveryTokenIsUsed() {
        CompletionText text = new CompletionText(BPE, List.of("THE END"));
        int[] tokens = BPE.encode("and the earth");

        assertThat(text.append(tokens)).isEqualTo(new CompletionText.Appended("and the earth", tokens.length));
    }

    @Test
    void severalTokensAtOnceGiveTheSameTextAndStopAsOneAtATime() {
        // "bc" completes before "abcd" does, though "abcd" begins first: one token at a time, "bc" is seen first
        List<String> stops = List.of("abcd", "bc");
        CompletionText oneByOne = new CompletionText(BPE, stops);
        CompletionText atOnce = new CompletionText(BPE, stops);
        int[][] steps = byteSteps("xabcdy");

        String single = String.join("", feed(oneByOne, steps));
        CompletionText.Appended together = atOnce.append(new int[] {'x', 'a', 'b', 'c', 'd', 'y'});

        assertThat(single).isEqualTo("xa");
        assertThat(together.text()).isEqualTo(single);
        assertThat(together.tokens()).isEqualTo(4);
    }

    @Test
    void aStopCompletedByTheReplacementCharacterAtTheEndIsCut() {
        CompletionText text = new CompletionText(BPE, List.of("k\uFFFD"));

        assertThat(text.append(new int[] {'o', 'k', 0xE2}).text()).isEqualTo("o");
        assertThat(text.finish()).isEmpty();
        assertThat(text.stopped()).isTrue();
    }
}
