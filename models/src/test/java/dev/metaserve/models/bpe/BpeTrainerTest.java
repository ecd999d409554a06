package dev.metaserve.models.bpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {

    static final String CORPUS = corpus();

    /** About 1,300 words of repetitive English: enough pairs for a 400-token vocabulary (it runs out near 500). */
    static String corpus() {
        String[] sentences = {
            "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.",
            "However little known the feelings or views of such a man may be on his first entering a neighbourhood, this truth is so well fixed.",
            "My dear Mr. Bennet, said his lady to him one day, have you heard that Netherfield Park is let at last?",
            "Mr. Bennet replied that he had not. But it is, returned she; for Mrs. Long has just been here, and she told me all about it.",
            "The 3 sisters walked 12 miles in 1813, and they didn't mind the weather; they'd seen worse.",
        };
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            text.append(sentences[i % sentences.length]).append(i % 7 == 0 ? "\n\n" : " ");
        }
        return text.toString();
    }

    private static String token(BpeTokenizer tokenizer, int id) {
        return new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8);
    }

    @Test
    void handCheckableCorpusGivesTheExpectedFirstMerges() {
        // pieces: "low" x1, " low" x4, " lower" x2, " lowest" x3 (GPT-2 rule: the space joins the next word)
        String text = "low low low low low lower lower lowest lowest lowest";
        BpeTokenizer tokenizer = new BpeTrainer(BpeTokenizer.FIRST_MERGE_ID + 4).train(text);

        List<String> merged = new ArrayList<>();
        for (int id = BpeTokenizer.FIRST_MERGE_ID; id < tokenizer.vocabularySize(); id++) {
            merged.add(token(tokenizer, id));
        }
        // (l,o) and (o,w) both 10, 'l' < 'o' -> "lo"; then "low" 10; then " low" 9; then " lowe" 5 (over "es" 3)
        assertThat(merged).containsExactly("lo", "low", " low", " lowe");
        assertThat(tokenizer.merges().get(0)).containsExactly('l', 'o');
        assertThat(tokenizer.merges().get(1)).containsExactly(257, 'w');
        assertThat(tokenizer.merges().get(2)).containsExactly(' ', 258);
    }

    @Test
    void tiesGoToTheSmallerLeftThenRightId() {
        // pieces "cd", " ab" x2, " cd": (' ',a), (a,b), (c,d) all count 2; ' ' (32) is the smallest left id
        BpeTokenizer tokenizer = new BpeTrainer(BpeTokenizer.FIRST_MERGE_ID + 2).train("cd ab cd ab");
        assertThat(token(tokenizer, 257)).isEqualTo(" a");
        // then (" a", b) and (c, d) both count 2: 'c' (99) < " a" (257)
        assertThat(token(tokenizer, 258)).isEqualTo("cd");
    }

    @Test
    void vocabularyHasExactlyTheRequestedSize() {
        BpeTokenizer tokenizer = new BpeTrainer(400).train(CORPUS);
        assertThat(tokenizer.vocabularySize()).isEqualTo(400);
        assertThat(tokenizer.mergeCount()).isEqualTo(400 - 257);
    }

    @Test
    void vocabularyIsSmallerWhenTheCorpusRunsOutOfPairs() {
        // distinct pieces "abc", " abc": at most 2 + 1 merges until each is one token
        BpeTokenizer tokenizer = new BpeTrainer(1000).train("abc abc abc");
        assertThat(tokenizer.vocabularySize()).isEqualTo(257 + 3);
        assertThat(tokenizer.encode("abc abc")).hasSize(2);

        BpeTokenizer exhausted = new BpeTrainer(100_000).train(CORPUS);
        assertThat(exhausted.vocabularySize()).isLessThan(100_000);
        BpeTrainer.countPieces(CORPUS).keySet().forEach(piece -> assertThat(exhausted.encode(piece)).as(piece).hasSize(1));
    }

    @Test
    void frequentWordsBecomeSingleTokens() {
        BpeTokenizer tokenizer = new BpeTrainer(400).train(CORPUS);
        for (String word : List.of(" truth", " Bennet", " man", " that", " the")) {
            assertThat(tokenizer.encode(word)).as(word).hasSize(1);
        }
        int bytes = CORPUS.getBytes(StandardCharsets.UTF_8).length;
        assertThat(tokenizer.encode(CORPUS).length).isLessThan(bytes / 2);
    }

    @Test
    void trainingIsDeterministic() throws Exception {
        List<int[]> first = new BpeTrainer(500).train(CORPUS).merges();
        List<int[]> second = new BpeTrainer(500).train(new StringReader(CORPUS)).merges();
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).as("merge " + i).containsExactly(first.get(i));
        }
    }

    @Test
    void endOfTextInTheCorpusIsNeitherLearnedNorMergedAcross() {
        String text = "one<|endoftext|>two<|endoftext|>one<|endoftext|>two";
        BpeTokenizer tokenizer = new BpeTrainer(400).train(text);
        for (int id = BpeTokenizer.FIRST_MERGE_ID; id < tokenizer.vocabularySize(); id++) {
            assertThat(token(tokenizer, id)).doesNotContain("<", "|", ">");
        }
        assertThat(tokenizer.encode(text)).containsExactly(257 + 1, 256, 257 + 3, 256, 257 + 1, 256, 257 + 3);
    }

    @Test
    void tooSmallAVocabularyIsRefused() {
        assertThatThrownBy(() -> new BpeTrainer(256)).isInstanceOf(IllegalArgumentException.class);
    }
}
