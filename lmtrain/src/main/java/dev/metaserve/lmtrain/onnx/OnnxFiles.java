package dev.metaserve.lmtrain.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes ONNX models: to a temporary file beside the target, moved into place once complete. */
public final class OnnxFiles {
    private OnnxFiles() {}

    /** @return bytes written */
    public static long write(ModelProto model, Path out) throws IOException {
        Path absolute = out.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        try {
            try (OutputStream stream = Files.newOutputStream(temporary)) {
                model.writeTo(stream);
            }
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            return Files.size(absolute);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
