package dev.metaserve.models.bpe;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-level BPE tokenizer. Ids 0-255 are the bytes of the UTF-8 encoding, id 256 is
 * {@value #END_OF_TEXT}, and id {@code 257 + r} is the token made by merge rank {@code r} (its left and
 * right parts, both with smaller ids). Text is cut into pieces by {@link Pretokenizer} (GPT-2's rule); each
 * piece's bytes are merged by lowest rank first ({@link MergeTable}), which reproduces what training did to it. Any valid
 * Unicode string round-trips exactly through {@link #encode}/{@link #decode}, whatever it contains, since
 * every byte is a token. Immutable and thread-safe (the piece cache is concurrent).
 */
public final class BpeTokenizer {
    /** The one special token; {@link #encode} turns each literal occurrence into {@link #END_OF_TEXT_ID}. */
    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final int END_OF_TEXT_ID = 256;
    /** Id of the token made by the first merge. */
    public static final int FIRST_MERGE_ID = 257;

    static final String FORMAT = "metaserve-bpe 1";
    private static final int CACHE_MAX_ENTRIES = 65_536;
    private static final int CACHE_MAX_PIECE_CHARS = 64;

    private final MergeTable merges;
    private final byte[][] tokenBytes;
    private final Map<String, int[]> pieceCache = new ConcurrentHashMap<>();

    /** From merges in rank order, each {@code {left, right}}; both ids must already exist when the merge is made. */
    public BpeTokenizer(List<int[]> merges) {
        int count = merges.size();
        tokenBytes = new byte[FIRST_MERGE_ID + count][];
        for (int b = 0; b < 256; b++) {
            tokenBytes[b] = new byte[] {(byte) b};
        }
        tokenBytes[END_OF_TEXT_ID] = END_OF_TEXT.getBytes(StandardCharsets.UTF_8);
        for (int rank = 0; rank < count; rank++) {
            int[] pair = merges.get(rank);
            int id = FIRST_MERGE_ID + rank;
            if (pair.length != 2 || !isMergeable(pair[0], id) || !isMergeable(pair[1], id)) {
                throw new IllegalArgumentException("merge " + rank + " " + Arrays.toString(pair)
                        + ": parts must be byte or earlier merge ids below " + id);
            }
            byte[] left = tokenBytes[pair[0]];
            byte[] right = tokenBytes[pair[1]];
            byte[] joined = Arrays.copyOf(left, left.length + right.length);
            System.arraycopy(right, 0, joined, left.length, right.length);
            tokenBytes[id] = joined;
        }
        this.merges = MergeTable.of(merges);
    }

    private static boolean isMergeable(int part, int id) {
        return part >= 0 && part < id && part != END_OF_TEXT_ID;
    }

    /** 256 bytes + 1 special + the merges. */
    public int vocabularySize() {
        return tokenBytes.length;
    }

    /** Number of merges (vocabulary size minus {@value #FIRST_MERGE_ID}). */
    public int mergeCount() {
        return merges.size();
    }

    /** Merges in rank order, each {@code {left, right}}; a copy. */
    public List<int[]> merges() {
        List<int[]> out = new ArrayList<>(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            out.add(new int[] {merges.left(rank), merges.right(rank)});
        }
        return out;
    }

    /** The bytes token {@code id} stands for (for {@link #END_OF_TEXT_ID}, the UTF-8 of its text); a copy. */
    public byte[] tokenBytes(int id) {
        checkId(id);
        return tokenBytes[id].clone();
    }

    /** Encodes {@code text}; each literal {@value #END_OF_TEXT} in it becomes the single token {@link #END_OF_TEXT_ID}. */
    public int[] encode(String text) {
        IntBuffer out = new IntBuffer(text.length() / 3 + 8);
        Pretokenizer.splitAround(text, END_OF_TEXT, piece -> out.addAll(encodePiece(piece)), () -> out.add(END_OF_TEXT_ID));
        return out.toArray();
    }

    /** Encodes {@code text} treating {@value #END_OF_TEXT} as ordinary text (for untrusted input). */
    public int[] encodeOrdinary(String text) {
        IntBuffer out = new IntBuffer(text.length() / 3 + 8);
        Pretokenizer.split(text, piece -> out.addAll(encodePiece(piece)));
        return out.toArray();
    }

    /** The text of {@code ids}; byte sequences that are not valid UTF-8 (a cut multi-byte character) become U+FFFD. */
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of {@code ids}, concatenated. */
    public byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            checkId(id);
            out.writeBytes(tokenBytes[id]);
        }
        return out.toByteArray();
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokenBytes.length) {
            throw new IllegalArgumentException("token id " + id + " outside [0, " + tokenBytes.length + ")");
        }
    }

    private int[] encodePiece(String piece) {
        if (piece.length() > CACHE_MAX_PIECE_CHARS) {
            return merges.apply(piece.getBytes(StandardCharsets.UTF_8));
        }
        int[] cached = pieceCache.get(piece);
        if (cached == null) {
            cached = merges.apply(piece.getBytes(StandardCharsets.UTF_8));
            if (pieceCache.size() >= CACHE_MAX_ENTRIES) {
                pieceCache.clear();
            }
            pieceCache.put(piece, cached);
        }
        return cached;
    }

    /**
     * Writes the tokenizer as UTF-8 text: a line {@code metaserve-bpe 1}, a line {@code pretokenizer gpt2-v1},
     * a line {@code special 256 <|endoftext|>}, a line {@code merges N}, then N lines {@code left right} in
     * rank order (line r makes id 257 + r).
     */
    public void save(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(FORMAT + "\n");
            out.write("pretokenizer " + Pretokenizer.NAME + "\n");
            out.write("special " + END_OF_TEXT_ID + " " + END_OF_TEXT + "\n");
            out.write("merges " + merges.size() + "\n");
            for (int rank = 0; rank < merges.size(); rank++) {
                out.write(merges.left(rank) + " " + merges.right(rank) + "\n");
            }
        }
    }

    /** Reads a file written by {@link #save}; a file in another format or with bad merges is refused with {@link IOException}. */
    public static BpeTokenizer load(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            expectLine(in, FORMAT, file);
            expectLine(in, "pretokenizer " + Pretokenizer.NAME, file);
            expectLine(in, "special " + END_OF_TEXT_ID + " " + END_OF_TEXT, file);
            String header = in.readLine();
            if (header == null || !header.startsWith("merges ")) {
                throw new IOException(file + ": expected 'merges N', found " + header);
            }
            try {
                int count = Integer.parseInt(header.substring("merges ".length()).trim());
                List<int[]> merges = new ArrayList<>(count);
                for (int rank = 0; rank < count; rank++) {
                    String line = in.readLine();
                    if (line == null) {
                        throw new IOException(file + ": " + count + " merges announced, " + rank + " found");
                    }
                    String[] parts = line.trim().split(" ");
                    if (parts.length != 2) {
                        throw new IOException(file + ": merge line '" + line + "' is not 'left right'");
                    }
                    merges.add(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
                }
                return new BpeTokenizer(merges);
            } catch (IllegalArgumentException e) { // NumberFormatException included
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
    }

    private static void expectLine(BufferedReader in, String expected, Path file) throws IOException {
        String line = in.readLine();
        if (!expected.equals(line)) {
            throw new IOException(file + ": expected '" + expected + "', found '" + line + "'");
        }
    }

    /** A growable int array. */
    static final class IntBuffer {
        private int[] values;
        private int size;

        IntBuffer(int capacity) {
            values = new int[Math.max(capacity, 4)];
        }

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void addAll(int[] more) {
            if (size + more.length > values.length) {
                values = Arrays.copyOf(values, Math.max(size * 2, size + more.length));
            }
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
