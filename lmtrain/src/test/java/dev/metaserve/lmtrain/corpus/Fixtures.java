package dev.metaserve.lmtrain.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds small Debian packages and R lazy-load databases in memory, shaped like the real ones. */
final class Fixtures {
    private Fixtures() {
    }

    /** A .deb: ar archive of debian-binary, control.tar.xz (empty) and data.tar.xz with {@code ./path} entries. */
    static byte[] deb(Map<String, byte[]> files) {
        try {
            ByteArrayOutputStream deb = new ByteArrayOutputStream();
            try (ArArchiveOutputStream ar = new ArArchiveOutputStream(deb)) {
                addMember(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
                addMember(ar, "control.tar.xz", tarXz(Map.of()));
                addMember(ar, "data.tar.xz", tarXz(files));
            }
            return deb.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void addMember(ArArchiveOutputStream ar, String name, byte[] content) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, content.length));
        ar.write(content);
        ar.closeArchiveEntry();
    }

    private static byte[] tarXz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(bytes))) {
            tar.putArchiveEntry(new TarArchiveEntry("./usr/"));
            tar.closeArchiveEntry();
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry("./" + file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A zlib block behind its 4-byte big-endian uncompressed length, as R's lazy-load entries are stored. */
    static byte[] zlibBlock(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(ByteBuffer.allocate(4).putInt(content.length).array());
        try (OutputStream zlib = new DeflaterOutputStream(bytes)) {
            zlib.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An .rdb holding each named character vector, and the serialized (uncompressed) index that locates them. */
    record LazyLoadDb(byte[] serializedIndex, byte[] rdb) {
    }

    static LazyLoadDb lazyLoadDb(Map<String, String[]> vectors) {
        ByteArrayOutputStream rdb = new ByteArrayOutputStream();
        RXdrWriter variables = new RXdrWriter();
        variables.flags(19, true, false).integer(vectors.size());
        for (String[] lines : vectors.values()) {
            byte[] entry = zlibBlock(RXdrWriter.withHeader(3).strings(lines).toByteArray());
            variables.flags(13, false, false).integer(2).integer(rdb.size()).integer(entry.length);
            rdb.writeBytes(entry);
        }
        variables.flags(2, false, true).symbol("names").strings(vectors.keySet().toArray(String[]::new)).nil();

        RXdrWriter index = RXdrWriter.withHeader(3).flags(19, true, false).integer(3)
                .raw(variables.toByteArray())
                .flags(19, true, false).integer(0)
                .flags(2, false, true).reference(1).strings().nil()
                .flags(10, false, false).integer(1).integer(1)
                .flags(2, false, true).reference(1).strings("variables", "references", "compressed").nil();
        return new LazyLoadDb(index.toByteArray(), rdb.toByteArray());
    }
}
