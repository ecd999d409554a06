package dev.metaserve.accelerators.generation;

import java.util.Arrays;

/** Prompt lookup: proposes what followed the latest earlier occurrence of the sequence's last n tokens. */
final class NgramLookup {
    private NgramLookup() {}

    /**
     * @return up to {@code k} tokens (none when the last {@code n} tokens occur nowhere earlier in
     *         {@code tokens[0, length)})
     */
    static int[] propose(int[] tokens, int length, int k, int n) {
        int suffix = length - n;
        for (int start = suffix - 1; start >= 0; start--) {
            if (Arrays.equals(tokens, start, start + n, tokens, suffix, length)) {
                int from = start + n;
                return Arrays.copyOfRange(tokens, from, Math.min(from + k, length));
            }
        }
        return new int[0];
    }
}
