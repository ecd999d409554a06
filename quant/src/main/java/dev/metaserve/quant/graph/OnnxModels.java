package dev.metaserve.quant.graph;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.metaserve.quant.QuantizationException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Parses, checks and writes ONNX model files. Writing goes to a temporary file beside the target, moved into place when complete. */
public final class OnnxModels {
    /** The default ("ai.onnx") operator domain, spelled either way in opset imports. */
    private static final String DEFAULT_DOMAIN = "ai.onnx";

    private OnnxModels() {}

    /**
     * Parses an ONNX model and checks it has a graph with nodes.
     *
     * @param source what the bytes are, for messages (a path or resource name)
     * @throws QuantizationException when the bytes are not an ONNX model or its graph is empty
     */
    public static ModelProto parse(byte[] bytes, String source) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new QuantizationException(source + " is not an ONNX model (protobuf parse failed: " + e.getMessage() + ")", e);
        }
        // Protobuf accepts many non-ONNX byte strings as a message of unknown fields; a model has a version and a graph.
        if (model.getIrVersion() <= 0 || !model.hasGraph()) {
            throw new QuantizationException(source + " is not an ONNX model (no IR version or no graph)");
        }
        if (model.getGraph().getNodeCount() == 0) {
            throw new QuantizationException(source + " has an empty graph (no nodes)");
        }
        return model;
    }

    /** Reads and {@link #parse parses} a model file. */
    public static ModelProto read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new QuantizationException("model file " + file + " not found");
        }
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new QuantizationException("could not read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The opset version of the default ONNX domain, or -1 when the model does not import it. */
    public static long defaultOpset(ModelProto model) {
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            if (opset.getDomain().isEmpty() || opset.getDomain().equals(DEFAULT_DOMAIN)) {
                return opset.getVersion();
            }
        }
        return -1;
    }

    /**
     * Checks, before any work is done, that {@code out} can be written: its directory exists and is writable and
     * {@code out} is not a directory.
     *
     * @throws QuantizationException naming the problem
     */
    public static void checkWritable(Path out) {
        Path absolute = out.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new QuantizationException("cannot write " + out + ": directory " + directory + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new QuantizationException("cannot write " + out + ": it is a directory");
        }
        if (!Files.isWritable(directory)) {
            throw new QuantizationException("cannot write " + out + ": directory " + directory + " is not writable");
        }
        if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw new QuantizationException("cannot write " + out + ": the existing file is not writable");
        }
    }

    /**
     * Writes the model to a temporary file in {@code out}'s directory and moves it onto {@code out} only once complete,
     * so {@code out} is either the whole new model or untouched.
     *
     * @return bytes written
     * @throws QuantizationException when the file cannot be written; the temporary file is removed
     */
    public static long writeAtomically(ModelProto model, Path out) {
        checkWritable(out);
        Path absolute = out.toAbsolutePath();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
            try (OutputStream stream = Files.newOutputStream(temporary)) {
                model.writeTo(stream);
            }
            long size = Files.size(temporary);
            try {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
            return size;
        } catch (AccessDeniedException e) {
            throw new QuantizationException("cannot write " + out + ": access denied (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new QuantizationException("cannot write " + out + ": " + e, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // best effort; the failure being reported matters more
                }
            }
        }
    }
}
