package dev.metaserve.models;

/**
 * Texts tokenized for the encoder and padded to the longest of them: the three int64 model inputs, row-major
 * {@code [batch, sequence]}, with attention mask 0 on padding.
 *
 * @param tokenCounts tokens each text was encoded to, special tokens included, after truncation
 */
public record TokenizedBatch(int batch, int sequence, long[] inputIds, long[] attentionMask, long[] tokenTypeIds,
                             int[] tokenCounts) {
    /** The shape of each of the three arrays, {@code [batch, sequence]}. */
    public long[] shape() {
        return new long[] {batch, sequence};
    }
}
