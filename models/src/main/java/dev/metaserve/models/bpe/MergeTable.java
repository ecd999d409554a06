package dev.metaserve.models.bpe;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The merges in rank order and their look-up by pair. Applies them to one piece: the lowest-ranked merge
 * present goes first, at every place left to right without overlap, until none applies (what training did).
 * Short pieces are rescanned after each merge; long ones (runs of spaces or symbols, which the pre-tokenizer
 * does not bound) use a heap over a linked list, so their cost stays O(n log n).
 */
final class MergeTable {
    static final int SCAN_MAX_BYTES = 64;

    private final int[] left;
    private final int[] right;
    private final Map<Long, Integer> rankByPair;

    MergeTable(int[] left, int[] right) {
        this.left = left;
        this.right = right;
        this.rankByPair = new HashMap<>(left.length * 2);
        for (int rank = 0; rank < left.length; rank++) {
            if (rankByPair.putIfAbsent(key(left[rank], right[rank]), rank) != null) {
                throw new IllegalArgumentException(
                        "merge " + rank + " [" + left[rank] + ", " + right[rank] + "] repeats an earlier one");
            }
        }
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    int size() {
        return left.length;
    }

    int left(int rank) {
        return left[rank];
    }

    int right(int rank) {
        return right[rank];
    }

    /** The token ids of one piece given as bytes. */
    int[] apply(byte[] bytes) {
        return bytes.length <= SCAN_MAX_BYTES ? applyByScan(bytes) : applyByHeap(bytes);
    }

    int[] applyByScan(byte[] bytes) {
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = bytes[i] & 0xff;
        }
        int length = symbols.length;
        while (length > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < length; i++) {
                Integer rank = rankByPair.get(key(symbols[i], symbols[i + 1]));
                if (rank != null && rank < best) {
                    best = rank;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            length = replace(symbols, length, left[best], right[best], BpeTokenizer.FIRST_MERGE_ID + best);
        }
        return length == symbols.length ? symbols : Arrays.copyOf(symbols, length);
    }

    /**
     * Same result as {@link #applyByScan}: a merge only makes pairs of higher rank (they hold its new id), so
     * popping (rank, position) in order does every rank-r merge left to right before any later one.
     */
    int[] applyByHeap(byte[] bytes) {
        int n = bytes.length;
        if (n == 0) {
            return new int[0];
        }
        int[] symbols = new int[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = bytes[i] & 0xff;
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PriorityQueue<Long> heap = new PriorityQueue<>();
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, symbols, i, i + 1);
        }
        int length = n;
        while (!heap.isEmpty()) {
            long entry = heap.poll();
            int rank = (int) (entry >>> 32);
            int at = (int) entry;
            int after = next[at];
            if (symbols[at] < 0 || after < 0 || symbols[at] != left[rank] || symbols[after] != right[rank]) {
                continue; // stale: the pair at this position has changed
            }
            symbols[at] = BpeTokenizer.FIRST_MERGE_ID + rank;
            symbols[after] = -1;
            next[at] = next[after];
            if (next[at] >= 0) {
                prev[next[at]] = at;
                offer(heap, symbols, at, next[at]);
            }
            if (prev[at] >= 0) {
                offer(heap, symbols, prev[at], at);
            }
            length--;
        }
        int[] out = new int[length];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = symbols[i];
        }
        return out;
    }

    private void offer(PriorityQueue<Long> heap, int[] symbols, int at, int after) {
        Integer rank = rankByPair.get(key(symbols[at], symbols[after]));
        if (rank != null) {
            heap.add(((long) rank << 32) | at);
        }
    }

    /** Replaces each non-overlapping (left, right), scanning left to right, by {@code id} in place; returns the new length. */
    static int replace(int[] symbols, int length, int left, int right, int id) {
        int write = 0;
        int read = 0;
        while (read < length) {
            if (read + 1 < length && symbols[read] == left && symbols[read + 1] == right) {
                symbols[write++] = id;
                read += 2;
            } else {
                symbols[write++] = symbols[read++];
            }
        }
        return write;
    }

    static MergeTable of(List<int[]> merges) {
        int[] left = new int[merges.size()];
        int[] right = new int[merges.size()];
        for (int rank = 0; rank < merges.size(); rank++) {
            left[rank] = merges.get(rank)[0];
            right[rank] = merges.get(rank)[1];
        }
        return new MergeTable(left, right);
    }
}
