package dev.metaserve.quant.metaaug;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The transformation of a token sequence: a policy of five strengths applied to the tokens between the first and the
 * last (the {@code [CLS]} and {@code [SEP]} of a BERT tokenizer, which stay). Each inner token is, independently,
 * dropped with probability {@code drop}, else replaced by a random vocabulary id with probability {@code replace},
 * repeated (written twice) with probability {@code repeat}, and swapped with its successor with probability
 * {@code swap}. With probability {@code concat} the inner tokens of another sequence of the set are appended (length
 * augmentation). The result is cut to {@code maxLength} tokens, last token kept. All strengths 0 is the identity.
 *
 * @param vocabularyLow  smallest id a replacement may take (inclusive)
 * @param vocabularyHigh largest id a replacement may take (exclusive)
 */
public record TokenAugmentation(int vocabularyLow, int vocabularyHigh, int maxLength) {
    /** The strengths, in the order of theta. */
    public static final List<String> PARAMETERS = List.of("replace", "drop", "repeat", "swap", "concat");
    public static final int REPLACE = 0;
    public static final int DROP = 1;
    public static final int REPEAT = 2;
    public static final int SWAP = 3;
    public static final int CONCAT = 4;

    /** bert-base-uncased (all-MiniLM-L6-v2): ids below 1000 are [PAD], [unusedN] and the special tokens. */
    public static TokenAugmentation bertUncased(int maxLength) {
        return new TokenAugmentation(1000, 30522, maxLength);
    }

    public TokenAugmentation {
        if (vocabularyLow < 0 || vocabularyHigh <= vocabularyLow) {
            throw new IllegalArgumentException("bad vocabulary range [" + vocabularyLow + ", " + vocabularyHigh + ")");
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, was " + maxLength);
        }
    }

    /**
     * The expected share of inner tokens that some operation touches: {@code 1 - prod(1 - p_i)} over the five strengths
     * (concat counted as if it touched each token with its probability). This is the d(theta) of the margin.
     */
    public static double distanceFromIdentity(double[] theta) {
        check(theta);
        double untouched = 1;
        for (double p : theta) {
            untouched *= 1 - p;
        }
        return 1 - untouched;
    }

    /**
     * Transforms {@code ids} (one sequence, special tokens at both ends).
     *
     * @param others sequences {@code concat} may append from (may include {@code ids} itself); may be empty
     */
    public long[] apply(long[] ids, double[] theta, List<long[]> others, Random random) {
        check(theta);
        if (ids.length < 2) {
            return ids.clone();
        }
        List<Long> inner = new ArrayList<>(ids.length + 8);
        for (int i = 1; i < ids.length - 1; i++) {
            long token = ids[i];
            if (random.nextDouble() < theta[DROP]) {
                continue;
            }
            if (random.nextDouble() < theta[REPLACE]) {
                token = vocabularyLow + random.nextInt(vocabularyHigh - vocabularyLow);
            }
            inner.add(token);
            if (random.nextDouble() < theta[REPEAT]) {
                inner.add(token);
            }
        }
        for (int i = 0; i + 1 < inner.size(); i++) {
            if (random.nextDouble() < theta[SWAP]) {
                Long next = inner.get(i + 1);
                inner.set(i + 1, inner.get(i));
                inner.set(i, next);
                i++; // a swapped pair is not swapped again
            }
        }
        if (!others.isEmpty() && random.nextDouble() < theta[CONCAT]) {
            long[] other = others.get(random.nextInt(others.size()));
            for (int i = 1; i < other.length - 1; i++) {
                inner.add(other[i]);
            }
        }
        if (inner.isEmpty() && ids.length > 2) {
            inner.add(ids[1]); // never an empty sentence
        }
        int innerLength = Math.min(inner.size(), maxLength - 2);
        long[] out = new long[innerLength + 2];
        out[0] = ids[0];
        for (int i = 0; i < innerLength; i++) {
            out[i + 1] = inner.get(i);
        }
        out[out.length - 1] = ids[ids.length - 1];
        return out;
    }

    private static void check(double[] theta) {
        if (theta.length != PARAMETERS.size()) {
            throw new IllegalArgumentException("theta has " + PARAMETERS.size() + " strengths " + PARAMETERS
                    + ", got " + theta.length);
        }
        for (double p : theta) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("each strength must be in [0, 1], got " + p);
            }
        }
    }
}
