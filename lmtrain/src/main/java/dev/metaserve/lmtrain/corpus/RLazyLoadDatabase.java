package dev.metaserve.lmtrain.corpus;

import dev.metaserve.lmtrain.corpus.RValue.RInts;
import dev.metaserve.lmtrain.corpus.RValue.RList;
import dev.metaserve.lmtrain.corpus.RValue.RLogicals;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * An R lazy-load database, the {@code .rdx}/{@code .rdb} pair in which R packages keep their data sets.
 * The {@code .rdx} index is a serialized list (gzip-compressed, as {@code saveRDS} writes it) whose element
 * {@code variables} maps each object's name to its (offset, length) in the {@code .rdb}; each {@code .rdb} entry is
 * a serialized object, zlib-compressed behind a 4-byte big-endian uncompressed length.
 */
public final class RLazyLoadDatabase {
    /** The index's {@code compressed} value for zlib, the default of R's {@code makeLazyLoadDB}. */
    private static final int ZLIB = 1;

    private final Map<String, Slice> variables;
    private final byte[] rdb;

    record Slice(int offset, int length) {
    }

    private RLazyLoadDatabase(Map<String, Slice> variables, byte[] rdb) {
        this.variables = variables;
        this.rdb = rdb;
    }

    /** Opens the database from the contents of its {@code .rdx} and {@code .rdb} files. */
    public static RLazyLoadDatabase open(byte[] rdx, byte[] rdb) {
        RValue index = RSerializationReader.read(unpackIndex(rdx));
        if (!(index instanceof RList list)) {
            throw new CorpusException("R lazy-load index is not a list");
        }
        int compression = compression(list.get("compressed"));
        if (compression != ZLIB) {
            throw new CorpusException("R lazy-load database uses compression " + compression
                    + "; only zlib (1) is supported");
        }
        if (!(list.get("variables") instanceof RList entries)) {
            throw new CorpusException("R lazy-load index's 'variables' is not a list");
        }
        Map<String, Slice> variables = new LinkedHashMap<>();
        for (int i = 0; i < entries.values().size(); i++) {
            String name = entries.names().get(i);
            if (!(entries.values().get(i) instanceof RInts position) || position.values().length != 2) {
                throw new CorpusException("R lazy-load index entry '" + name + "' is not an (offset, length) pair");
            }
            Slice slice = new Slice(position.values()[0], position.values()[1]);
            if (slice.offset() < 0 || slice.length() < 4 || (long) slice.offset() + slice.length() > rdb.length) {
                throw new CorpusException("R lazy-load index entry '" + name + "' " + slice
                        + " lies outside the .rdb file of " + rdb.length + " bytes");
            }
            variables.put(name, slice);
        }
        return new RLazyLoadDatabase(variables, rdb);
    }

    /** The names of the stored objects, in the index's order. */
    public List<String> names() {
        return List.copyOf(variables.keySet());
    }

    /** The object stored as {@code name}. */
    public RValue get(String name) {
        Slice slice = variables.get(name);
        if (slice == null) {
            throw new CorpusException("R lazy-load database has no object '" + name + "' (has: " + names() + ")");
        }
        return RSerializationReader.read(inflateBlock(Arrays.copyOfRange(rdb, slice.offset(),
                slice.offset() + slice.length())));
    }

    /**
     * R writes the index with {@code saveRDS} (gzip); older tools wrote it as a length-prefixed zlib block like the
     * entries. Both are accepted.
     */
    private static byte[] unpackIndex(byte[] rdx) {
        if (rdx.length >= 2 && (rdx[0] & 0xFF) == 0x1F && (rdx[1] & 0xFF) == 0x8B) {
            try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(rdx))) {
                return gzip.readAllBytes();
            } catch (IOException e) {
                throw new CorpusException("R lazy-load index is corrupt gzip: " + e.getMessage(), e);
            }
        }
        return inflateBlock(rdx);
    }

    /** A zlib block behind its 4-byte big-endian uncompressed length. */
    static byte[] inflateBlock(byte[] block) {
        if (block.length < 4) {
            throw new CorpusException("R compressed block of " + block.length + " bytes lacks its length header");
        }
        int expected = ByteBuffer.wrap(block, 0, 4).getInt();
        if (expected < 0) {
            throw new CorpusException("R compressed block announces negative length " + expected);
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(block, 4, block.length - 4);
            byte[] out = new byte[expected];
            int produced = 0;
            while (produced < expected && !inflater.finished()) {
                int n = inflater.inflate(out, produced, expected - produced);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                produced += n;
            }
            if (produced != expected) {
                throw new CorpusException("R compressed block inflates to " + produced + " bytes, header says "
                        + expected);
            }
            return out;
        } catch (DataFormatException e) {
            throw new CorpusException("R compressed block is not valid zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static int compression(RValue value) {
        if (value instanceof RLogicals logical && logical.values().length == 1) {
            return logical.values()[0];
        }
        if (value instanceof RInts ints && ints.values().length == 1) {
            return ints.values()[0];
        }
        if (value instanceof RValue.RDoubles doubles && doubles.values().length == 1) {
            return (int) doubles.values()[0];
        }
        throw new CorpusException("R lazy-load index's 'compressed' is not a single number");
    }
}
