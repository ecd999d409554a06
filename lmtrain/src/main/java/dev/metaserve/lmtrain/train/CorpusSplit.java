package dev.metaserve.lmtrain.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The training corpora split into training and held-out text. Each corpus (a gzipped UTF-8 file) is one document; its
 * last {@link #HELD_OUT_SHARE} of characters, from the first line start at or after that point, is held out. The
 * tokenizer and the models see only the training part.
 *
 * @param names corpus names, in order
 * @param training training text per corpus
 * @param heldOut held-out text per corpus
 */
public record CorpusSplit(List<String> names, List<String> training, List<String> heldOut) {
    /** Corpora read by default, as {@code <name>.txt.gz} in the corpus directory. */
    public static final List<String> DEFAULT_CORPORA = List.of("austen", "kjv");
    public static final double HELD_OUT_SHARE = 0.05;

    public static CorpusSplit read(Path directory, List<String> names) throws IOException {
        List<String> training = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        for (String name : names) {
            Path file = directory.resolve(name + ".txt.gz");
            if (!Files.isRegularFile(file)) {
                throw new IOException("corpus file " + file + " not found (expected gzipped UTF-8 text)");
            }
            String text;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int cut = cutPoint(text);
            training.add(text.substring(0, cut));
            heldOut.add(text.substring(cut));
        }
        return new CorpusSplit(List.copyOf(names), List.copyOf(training), List.copyOf(heldOut));
    }

    /** Start of the held-out part: the first line start at or after {@code (1 - share) * length}. */
    static int cutPoint(String text) {
        int nominal = (int) (text.length() * (1 - HELD_OUT_SHARE));
        int newline = text.indexOf('\n', Math.max(0, nominal - 1));
        return newline < 0 ? nominal : newline + 1;
    }

    /** All training text, documents joined by the end-of-text marker (what the tokenizer is trained on). */
    public String trainingText() {
        return String.join("<|endoftext|>", training);
    }
}
