package dev.metaserve.lmtrain.train;

import dev.metaserve.models.bpe.BpeTokenizer;
import java.util.List;

/** Token streams of the split corpus: each document encoded (as ordinary text) and followed by end-of-text (256). */
public record TokenStreams(int[] training, int[] heldOut) {
    public static TokenStreams encode(BpeTokenizer tokenizer, CorpusSplit split) {
        return new TokenStreams(concatenate(tokenizer, split.training()), concatenate(tokenizer, split.heldOut()));
    }

    static int[] concatenate(BpeTokenizer tokenizer, List<String> documents) {
        int[][] encoded = documents.stream().map(tokenizer::encodeOrdinary).toArray(int[][]::new);
        int total = 0;
        for (int[] document : encoded) {
            total += document.length + 1;
        }
        int[] stream = new int[total];
        int at = 0;
        for (int[] document : encoded) {
            System.arraycopy(document, 0, stream, at, document.length);
            at += document.length;
            stream[at++] = BpeTokenizer.END_OF_TEXT_ID;
        }
        return stream;
    }
}
