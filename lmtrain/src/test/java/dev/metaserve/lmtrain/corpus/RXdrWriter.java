package dev.metaserve.lmtrain.corpus;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes R serialization (XDR) by hand, item by item, to build small fixtures the way R's serialize.c lays them out. */
final class RXdrWriter {
    static final int UTF8 = 1 << 3;
    static final int LATIN1 = 1 << 2;
    static final int ASCII = 1 << 6;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    /** Starts with the header of version 3 (with the writer's native encoding) or 2. */
    static RXdrWriter withHeader(int version) {
        RXdrWriter writer = new RXdrWriter();
        writer.raw("X\n".getBytes(StandardCharsets.US_ASCII)).integer(version).integer(0x040201).integer(0x030500);
        if (version == 3) {
            writer.integer(5).raw("UTF-8".getBytes(StandardCharsets.US_ASCII));
        }
        return writer;
    }

    RXdrWriter integer(int value) {
        try {
            out.writeInt(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    RXdrWriter raw(byte[] value) {
        bytes.writeBytes(value);
        return this;
    }

    RXdrWriter flags(int type, boolean hasAttributes, boolean hasTag) {
        return integer(type | (hasAttributes ? 1 << 9 : 0) | (hasTag ? 1 << 10 : 0));
    }

    RXdrWriter charsxp(String text, int encodingBits) {
        byte[] encoded = text.getBytes((encodingBits & LATIN1) != 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        return integer(9 | (encodingBits << 12)).integer(encoded.length).raw(encoded);
    }

    RXdrWriter naString() {
        return integer(9).integer(-1);
    }

    /** A character vector without attributes. */
    RXdrWriter strings(String... values) {
        flags(16, false, false).integer(values.length);
        for (String value : values) {
            charsxp(value, ASCII);
        }
        return this;
    }

    RXdrWriter symbol(String name) {
        return integer(1).charsxp(name, ASCII);
    }

    /** A back reference to the {@code index}-th (1-based) symbol read so far, packed into the flags word. */
    RXdrWriter reference(int index) {
        return integer(255 | (index << 8));
    }

    RXdrWriter nil() {
        return integer(254);
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
