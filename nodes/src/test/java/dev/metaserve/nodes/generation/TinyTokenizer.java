package dev.metaserve.nodes.generation;

import dev.metaserve.models.bpe.BpeTokenizer;
import dev.metaserve.models.bpe.BpeTrainer;

/** A real BPE tokenizer trained on a few English sentences: ASCII words merge, anything else stays bytes. */
public final class TinyTokenizer {
    public static final BpeTokenizer BPE = new BpeTrainer(320).train(
            "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in"
                    + " want of a wife. In the beginning God created the heaven and the earth. And the earth was"
                    + " without form, and void; and darkness was upon the face of the deep. THE END. The end.");

    private TinyTokenizer() {}

    /** The tokens of {@code text}, one int[] per token, as an engine would hand them over one step at a time. */
    public static int[][] steps(String text) {
        int[] tokens = BPE.encode(text);
        int[][] steps = new int[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            steps[i] = new int[] {tokens[i]};
        }
        return steps;
    }
}
