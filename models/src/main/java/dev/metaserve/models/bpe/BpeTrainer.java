package dev.metaserve.models.bpe;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Trains a {@link BpeTokenizer} on a text. The text is cut into pieces by {@link Pretokenizer} (GPT-2's rule;
 * literal {@value BpeTokenizer#END_OF_TEXT} is removed and cuts too), so merges never cross a piece boundary.
 * Distinct pieces are counted first; training then works on the distinct pieces as byte sequences, weighted by
 * frequency. Each step merges the most frequent adjacent pair; ties go to the pair with the smaller left id,
 * then the smaller right id, so the same text always gives the same merges. After a merge only the pieces
 * holding the pair are rewritten and only the pair counts they change are updated (a heap with stale entries
 * skipped on the way out finds the next best pair).
 *
 * <p>Training stops at the requested vocabulary size, or earlier when no adjacent pair is left (every distinct
 * piece is a single token): then the vocabulary is smaller than asked for.
 */
public final class BpeTrainer {
    private final int vocabularySize;

    /** {@code vocabularySize} counts the 256 bytes and the special token, so it is at least {@value BpeTokenizer#FIRST_MERGE_ID}. */
    public BpeTrainer(int vocabularySize) {
        if (vocabularySize < BpeTokenizer.FIRST_MERGE_ID) {
            throw new IllegalArgumentException(
                    "vocabularySize " + vocabularySize + " < " + BpeTokenizer.FIRST_MERGE_ID + " (256 bytes + 1 special)");
        }
        this.vocabularySize = vocabularySize;
    }

    public BpeTokenizer train(String text) {
        return trainOnCounts(countPieces(text));
    }

    /** Reads {@code text} to its end (the whole text is held in memory) and trains on it; does not close it. */
    public BpeTokenizer train(Reader text) throws IOException {
        StringBuilder all = new StringBuilder();
        char[] buffer = new char[1 << 16];
        int read;
        while ((read = text.read(buffer)) >= 0) {
            all.append(buffer, 0, read);
        }
        return train(all.toString());
    }

    static Map<String, long[]> countPieces(String text) {
        Map<String, long[]> counts = new HashMap<>();
        Pretokenizer.splitAround(text, BpeTokenizer.END_OF_TEXT,
                piece -> counts.computeIfAbsent(piece, p -> new long[1])[0]++, () -> {});
        return counts;
    }

    private BpeTokenizer trainOnCounts(Map<String, long[]> counts) {
        int wordCount = counts.size();
        int[][] words = new int[wordCount][];
        int[] lengths = new int[wordCount];
        long[] frequencies = new long[wordCount];
        Map<Long, PairStat> stats = new HashMap<>();
        int w = 0;
        for (Map.Entry<String, long[]> entry : counts.entrySet()) {
            byte[] bytes = entry.getKey().getBytes(StandardCharsets.UTF_8);
            int[] symbols = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                symbols[i] = bytes[i] & 0xff;
            }
            words[w] = symbols;
            lengths[w] = symbols.length;
            frequencies[w] = entry.getValue()[0];
            for (int i = 0; i + 1 < symbols.length; i++) {
                PairStat stat = stats.computeIfAbsent(MergeTable.key(symbols[i], symbols[i + 1]), k -> new PairStat());
                stat.count += frequencies[w];
                stat.addWord(w);
            }
            w++;
        }
        // most frequent first; ties: smaller key (left id, then right id) first
        PriorityQueue<long[]> heap = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(y[0], x[0]) : Long.compare(x[1], y[1]));
        stats.forEach((key, stat) -> heap.add(new long[] {stat.count, key}));

        int wanted = vocabularySize - BpeTokenizer.FIRST_MERGE_ID;
        List<int[]> merges = new ArrayList<>(wanted);
        int[] lastVisit = new int[wordCount];
        Arrays.fill(lastVisit, -1);
        while (merges.size() < wanted && !heap.isEmpty()) {
            long[] top = heap.poll();
            long key = top[1];
            PairStat best = stats.get(key);
            if (best == null || best.count != top[0]) {
                continue; // stale entry
            }
            int left = (int) (key >>> 32);
            int right = (int) key;
            int step = merges.size();
            int id = BpeTokenizer.FIRST_MERGE_ID + step;
            merges.add(new int[] {left, right});
            stats.remove(key);

            Map<Long, long[]> deltas = new HashMap<>();
            for (int k = 0; k < best.size; k++) {
                int word = best.words[k];
                if (lastVisit[word] == step) {
                    continue;
                }
                lastVisit[word] = step;
                rewrite(words[word], lengths, word, left, right, id, frequencies[word], deltas, stats);
            }
            for (Map.Entry<Long, long[]> delta : deltas.entrySet()) {
                if (delta.getValue()[0] == 0 || delta.getKey() == key) {
                    continue;
                }
                PairStat stat = stats.get(delta.getKey());
                stat.count += delta.getValue()[0];
                if (stat.count <= 0) {
                    stats.remove(delta.getKey());
                } else {
                    heap.add(new long[] {stat.count, delta.getKey()});
                }
            }
        }
        return new BpeTokenizer(merges);
    }

    /** Merges (left, right) in one word and records the pair-count changes it causes, weighted by its frequency. */
    private static void rewrite(int[] symbols, int[] lengths, int word, int left, int right, int id, long frequency,
            Map<Long, long[]> deltas, Map<Long, PairStat> stats) {
        int length = lengths[word];
        boolean present = false;
        for (int i = 0; i + 1 < length && !present; i++) {
            present = symbols[i] == left && symbols[i + 1] == right;
        }
        if (!present) {
            return; // the word list is not pruned when a word loses a pair
        }
        for (int i = 0; i + 1 < length; i++) {
            deltas.computeIfAbsent(MergeTable.key(symbols[i], symbols[i + 1]), k -> new long[1])[0] -= frequency;
        }
        length = MergeTable.replace(symbols, length, left, right, id);
        lengths[word] = length;
        for (int i = 0; i + 1 < length; i++) {
            long pair = MergeTable.key(symbols[i], symbols[i + 1]);
            deltas.computeIfAbsent(pair, k -> new long[1])[0] += frequency;
            if (symbols[i] == id || symbols[i + 1] == id) {
                stats.computeIfAbsent(pair, k -> new PairStat()).addWord(word);
            }
        }
    }

    /** Weighted count of one adjacent pair, and the words that hold (or once held) it. */
    private static final class PairStat {
        long count;
        int[] words = new int[4];
        int size;

        void addWord(int word) {
            if (size > 0 && words[size - 1] == word) {
                return;
            }
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = word;
        }
    }
}
