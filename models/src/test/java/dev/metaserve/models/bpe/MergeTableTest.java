package dev.metaserve.models.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MergeTableTest {

    private static final MergeTable TABLE = MergeTable.of(new BpeTrainer(500).train(BpeTrainerTest.CORPUS).merges());

    @Test
    void heapAndScanGiveTheSameTokensOnAnyBytes() {
        Random random = new Random(42);
        byte[] corpus = BpeTrainerTest.CORPUS.getBytes(StandardCharsets.UTF_8);
        for (int trial = 0; trial < 500; trial++) {
            int length = random.nextInt(300);
            byte[] bytes = new byte[length];
            if (trial % 2 == 0) {
                System.arraycopy(corpus, random.nextInt(corpus.length - length), bytes, 0, length);
            } else {
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) "aabbe th".charAt(random.nextInt(8));
                }
            }
            assertThat(TABLE.applyByHeap(bytes)).as("trial " + trial).isEqualTo(TABLE.applyByScan(bytes));
        }
    }

    @Test
    void overlappingRunsMergeLeftToRight() {
        MergeTable aa = MergeTable.of(java.util.List.of(new int[] {'a', 'a'}));
        byte[] aaa = "aaa".getBytes(StandardCharsets.UTF_8);
        assertThat(aa.applyByScan(aaa)).containsExactly(257, 'a');
        assertThat(aa.applyByHeap(aaa)).containsExactly(257, 'a');
    }

    @Test
    @Timeout(5)
    void aVeryLongPieceIsEncodedQuicklyAndRoundTrips() {
        BpeTokenizer tokenizer = new BpeTrainer(400).train("     x    y      z  ==== == =");
        String spaces = " ".repeat(200_000) + "=".repeat(200_000);
        int[] ids = tokenizer.encode(spaces);
        assertThat(tokenizer.decode(ids)).isEqualTo(spaces);
    }
}
