package dev.metaserve.lmtrain.corpus;

import dev.metaserve.lmtrain.corpus.RValue.RDoubles;
import dev.metaserve.lmtrain.corpus.RValue.RInts;
import dev.metaserve.lmtrain.corpus.RValue.RList;
import dev.metaserve.lmtrain.corpus.RValue.RLogicals;
import dev.metaserve.lmtrain.corpus.RValue.RNull;
import dev.metaserve.lmtrain.corpus.RValue.RPairList;
import dev.metaserve.lmtrain.corpus.RValue.RStrings;
import dev.metaserve.lmtrain.corpus.RValue.RSymbol;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads R's serialization format (what {@code saveRDS} and lazy-load databases hold), XDR flavour, versions 2 and 3,
 * as far as data objects go: NULL, symbols, pairlists, character, logical, integer, double and generic vectors, with
 * attributes. Closures, environments, bytecode and ALTREP objects are refused with a {@link CorpusException}.
 * The layout follows R's {@code src/main/serialize.c}.
 */
public final class RSerializationReader {
    // SEXP types (Rinternals.h) and the pseudo-types serialize.c adds
    static final int SYMSXP = 1;
    static final int LISTSXP = 2;
    static final int CHARSXP = 9;
    static final int LGLSXP = 10;
    static final int INTSXP = 13;
    static final int REALSXP = 14;
    static final int STRSXP = 16;
    static final int VECSXP = 19;
    static final int EXPRSXP = 20;
    static final int NILVALUE_SXP = 254;
    static final int REFSXP = 255;

    // bits of the flags word that precedes every item
    static final int HAS_ATTR = 1 << 9;
    static final int HAS_TAG = 1 << 10;
    // CHARSXP encoding bits, in the "levels" part (flags >> 12)
    static final int LATIN1 = 1 << 2;

    private final DataInputStream in;
    /** Objects that later items may refer back to (symbols here; environments are not supported). */
    private final List<RValue> references = new ArrayList<>();

    private RSerializationReader(byte[] serialized) {
        this.in = new DataInputStream(new ByteArrayInputStream(serialized));
    }

    /** The object that {@code serialized} (uncompressed, starting with {@code "X\n"}) holds. */
    public static RValue read(byte[] serialized) {
        RSerializationReader reader = new RSerializationReader(serialized);
        try {
            reader.readHeader();
            return reader.readItem();
        } catch (EOFException e) {
            throw new CorpusException("R serialization ends early", e);
        } catch (IOException e) {
            throw new CorpusException("cannot read R serialization: " + e.getMessage(), e);
        }
    }

    private void readHeader() throws IOException {
        int first = in.read();
        int second = in.read();
        if (first != 'X' || second != '\n') {
            throw new CorpusException("not an XDR R serialization: header starts with bytes " + first + ", " + second
                    + " (only format 'X\\n' is supported, not ascii 'A' or native binary 'B')");
        }
        int version = in.readInt();
        in.readInt(); // R version that wrote it
        in.readInt(); // oldest R version that can read it
        if (version == 3) {
            int encodingLength = in.readInt();
            in.readNBytes(encodingLength); // native encoding of the writer; CHARSXPs carry their own
        } else if (version != 2) {
            throw new CorpusException("unsupported R serialization version " + version + " (supported: 2, 3)");
        }
    }

    private RValue readItem() throws IOException {
        int flags = in.readInt();
        int type = flags & 0xFF;
        boolean hasAttributes = (flags & HAS_ATTR) != 0;
        return switch (type) {
            case NILVALUE_SXP -> RNull.INSTANCE;
            case REFSXP -> reference(flags);
            case SYMSXP -> symbol();
            case LISTSXP -> pairList(flags);
            case CHARSXP -> throw new CorpusException("R serialization has a bare CHARSXP outside a character vector");
            case STRSXP -> {
                int length = readLength();
                List<String> values = new ArrayList<>(length);
                for (int i = 0; i < length; i++) {
                    values.add(charsxp());
                }
                yield new RStrings(values, attributes(hasAttributes));
            }
            case LGLSXP -> new RLogicals(ints(readLength()), attributes(hasAttributes));
            case INTSXP -> new RInts(ints(readLength()), attributes(hasAttributes));
            case REALSXP -> {
                double[] values = new double[readLength()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.readDouble();
                }
                yield new RDoubles(values, attributes(hasAttributes));
            }
            case VECSXP, EXPRSXP -> {
                int length = readLength();
                List<RValue> values = new ArrayList<>(length);
                for (int i = 0; i < length; i++) {
                    values.add(readItem());
                }
                yield new RList(values, attributes(hasAttributes));
            }
            default -> throw new CorpusException("unsupported R object type " + type + " in serialization"
                    + " (this reader handles data: NULL, symbols, pairlists and vectors)");
        };
    }

    private RValue reference(int flags) throws IOException {
        int index = flags >>> 8;
        if (index == 0) {
            index = in.readInt();
        }
        if (index < 1 || index > references.size()) {
            throw new CorpusException("R serialization refers to object #" + index + " but only "
                    + references.size() + " were read");
        }
        return references.get(index - 1);
    }

    private RSymbol symbol() throws IOException {
        int flags = in.readInt();
        if ((flags & 0xFF) != CHARSXP) {
            throw new CorpusException("R symbol name is of type " + (flags & 0xFF) + ", not CHARSXP");
        }
        String name = charsxpBody(flags);
        RSymbol symbol = new RSymbol(name == null ? "NA" : name);
        references.add(symbol);
        return symbol;
    }

    private RPairList pairList(int flags) throws IOException {
        List<String> tags = new ArrayList<>();
        List<RValue> values = new ArrayList<>();
        int cell = flags;
        while (true) {
            if ((cell & HAS_ATTR) != 0) {
                readItem(); // attributes of a pairlist cell: not needed for data
            }
            String tag = null;
            if ((cell & HAS_TAG) != 0) {
                RValue tagItem = readItem();
                tag = tagItem instanceof RSymbol symbol ? symbol.name() : null;
            }
            tags.add(tag);
            values.add(readItem());
            // the CDR is the next cell, read iteratively so that long pairlists do not exhaust the stack
            cell = in.readInt();
            int nextType = cell & 0xFF;
            if (nextType == NILVALUE_SXP) {
                return new RPairList(tags, values);
            }
            if (nextType != LISTSXP) {
                throw new CorpusException("R pairlist ends with type " + nextType + " instead of NULL");
            }
        }
    }

    private Map<String, RValue> attributes(boolean present) throws IOException {
        if (!present) {
            return Map.of();
        }
        RValue item = readItem();
        if (!(item instanceof RPairList list)) {
            throw new CorpusException("R attributes are not a pairlist but " + item.getClass().getSimpleName());
        }
        Map<String, RValue> attributes = new LinkedHashMap<>();
        for (int i = 0; i < list.values().size(); i++) {
            attributes.put(list.tags().get(i), list.values().get(i));
        }
        return attributes;
    }

    private String charsxp() throws IOException {
        int flags = in.readInt();
        if ((flags & 0xFF) != CHARSXP) {
            throw new CorpusException("R character vector element is of type " + (flags & 0xFF) + ", not CHARSXP");
        }
        return charsxpBody(flags);
    }

    /** A CHARSXP's text; null for {@code NA_character_}. */
    private String charsxpBody(int flags) throws IOException {
        int length = in.readInt();
        String text = null;
        if (length != -1) {
            if (length < 0) {
                throw new CorpusException("R string has negative length " + length);
            }
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new EOFException();
            }
            boolean latin1 = ((flags >>> 12) & LATIN1) != 0;
            text = new String(bytes, latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        if ((flags & HAS_ATTR) != 0) {
            readItem(); // old writers attached attributes to CHARSXPs; R reads and drops them
        }
        return text;
    }

    private int[] ints(int length) throws IOException {
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private int readLength() throws IOException {
        int length = in.readInt();
        if (length == -1) {
            long upper = in.readInt() & 0xFFFFFFFFL;
            long lower = in.readInt() & 0xFFFFFFFFL;
            long longLength = (upper << 32) | lower;
            throw new CorpusException("R vector of length " + longLength + " exceeds what this reader supports");
        }
        if (length < 0) {
            throw new CorpusException("R vector has negative length " + length);
        }
        return length;
    }
}
