package dev.metaserve.selector.model;

import dev.metaserve.selector.learn.PerformanceModel;
import dev.metaserve.selector.quality.QualityEstimator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The model file. Layout (big-endian, strings in modified UTF-8 with a 2-byte length):
 *
 * <pre>
 * magic            8 bytes  "MSSELMDL"
 * format version   int      1
 * model id         string   "sel-" + first 12 hex digits of the payload's SHA-256
 * created at       string   ISO-8601 instant
 * observations     long     observations trained on
 * problems         int      selection problems trained on
 * summary          string   data source and settings, for people
 * payload length   int      bytes of payload
 * payload SHA-256  32 bytes
 * payload          the model ({@link ModelPayload})
 * </pre>
 *
 * Reading refuses, with a {@link ModelFormatException} that says which, a file that is not a model, of another
 * format version, truncated, with bytes after the payload, whose payload does not match its checksum, or whose
 * payload does not parse. Writing goes to a temporary file that is then moved into place, so a reader never sees a
 * half-written model.
 */
public final class SelectorModelFile {
    static final byte[] MAGIC = "MSSELMDL".getBytes(StandardCharsets.US_ASCII);
    /** The format this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Largest model file read. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private SelectorModelFile() {}

    /** A model with its header: the id comes from the payload, so the same training gives the same id. */
    public static SelectorModel seal(QualityEstimator quality, PerformanceModel performance, Instant createdAt,
            long trainingObservations, int trainingProblems, String summary) {
        byte[] payload = payload(quality, performance);
        String id = "sel-" + HexFormat.of().formatHex(sha256(payload)).substring(0, 12);
        ModelHeader header = new ModelHeader(FORMAT_VERSION, id, createdAt, trainingObservations, trainingProblems,
                summary);
        return new SelectorModel(header, quality, performance);
    }

    public static void write(SelectorModel model, Path file) throws IOException {
        byte[] payload = payload(model.quality(), model.performance());
        ModelHeader h = model.header();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(h.modelId());
        out.writeUTF(h.createdAt().toString());
        out.writeLong(h.trainingObservations());
        out.writeInt(h.trainingProblems());
        out.writeUTF(h.summary());
        out.writeInt(payload.length);
        out.write(sha256(payload));
        out.write(payload);
        out.flush();
        Path target = file.toAbsolutePath();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(temporary, bytes.toByteArray());
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads a model file.
     *
     * @throws ModelFormatException when the file is missing, unreadable, or not a valid model of this format
     */
    public static SelectorModel read(Path file) throws ModelFormatException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ModelFormatException(file + " is not a selector model: " + size + " bytes is more than any"
                        + " model (at most " + MAX_FILE_BYTES + ")");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("selector model file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read selector model file " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Classpath resource of the model bundled with the selector, trained on the committed sweep snapshot. */
    public static final String BUNDLED_RESOURCE = "/dev/metaserve/selector/selector-model.bin";

    /**
     * The model bundled with the selector ({@value #BUNDLED_RESOURCE}).
     *
     * @throws ModelFormatException when it is missing from the classpath or does not read
     */
    public static SelectorModel bundled() throws ModelFormatException {
        try (java.io.InputStream in = SelectorModelFile.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new ModelFormatException("the bundled selector model " + BUNDLED_RESOURCE
                        + " is not on the classpath (selector jar)");
            }
            return parse(in.readAllBytes(), "bundled " + BUNDLED_RESOURCE);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read the bundled selector model: " + e.getMessage(), e);
        }
    }

    /** Reads a model from bytes; {@code name} is used in messages. */
    public static SelectorModel parse(byte[] bytes, String name) throws ModelFormatException {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            String start = new String(bytes, 0, Math.min(bytes.length, MAGIC.length), StandardCharsets.ISO_8859_1);
            throw new ModelFormatException(name + " is not a selector model: it starts with '" + printable(start)
                    + "' instead of '" + new String(MAGIC, StandardCharsets.US_ASCII) + "' (" + bytes.length
                    + " bytes)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
                bytes.length - MAGIC.length));
        ModelHeader header;
        int payloadLength;
        int headerLength;
        byte[] checksum = new byte[32];
        try {
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new ModelFormatException(name + " is a selector model of format version " + version
                        + ", but this build reads only version " + FORMAT_VERSION
                        + "; retrain it with this build (selector train)");
            }
            String id = in.readUTF();
            Instant createdAt = Instant.parse(in.readUTF());
            long observations = in.readLong();
            int problems = in.readInt();
            String summary = in.readUTF();
            header = new ModelHeader(version, id, createdAt, observations, problems, summary);
            payloadLength = in.readInt();
            in.readFully(checksum);
            headerLength = bytes.length - in.available();
        } catch (EOFException e) {
            throw new ModelFormatException(name + " is truncated: it ends inside the header (" + bytes.length
                    + " bytes)", e);
        } catch (UTFDataFormatException | DateTimeException e) {
            throw new ModelFormatException(name + " has a corrupt header: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException(name + ": cannot read the header: " + e.getMessage(), e);
        }
        int present = bytes.length - headerLength;
        if (payloadLength < 0) {
            throw new ModelFormatException(name + " has a corrupt header: payload length " + payloadLength);
        }
        if (present < payloadLength) {
            throw new ModelFormatException(name + " is truncated: the header announces " + payloadLength
                    + " payload bytes but only " + present + " follow (model " + header.modelId() + ")");
        }
        if (present > payloadLength) {
            throw new ModelFormatException(name + " is corrupt: " + (present - payloadLength)
                    + " unexpected bytes after the payload (model " + header.modelId() + ")");
        }
        byte[] payload = Arrays.copyOfRange(bytes, headerLength, bytes.length);
        if (!MessageDigest.isEqual(checksum, sha256(payload))) {
            throw new ModelFormatException(name + " is corrupt: the payload's SHA-256 does not match the header's"
                    + " (model " + header.modelId() + ")");
        }
        try {
            return ModelPayload.read(new DataInputStream(new ByteArrayInputStream(payload)), header);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(name + ": the payload of model " + header.modelId()
                    + " does not parse: " + e.getMessage(), e);
        }
    }

    private static byte[] payload(QualityEstimator quality, PerformanceModel performance) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            ModelPayload.write(out, quality, performance);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
