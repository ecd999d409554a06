package dev.metaserve.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real sentences, shipped as resources (all public domain, 4 to 60 words each):
 * <ul>
 *   <li>{@link #bundled()}: 400 drawn at random from Jane Austen's novels (median 16 words), so that load requests have
 *       a realistic mix of lengths;</li>
 *   <li>{@link #austenHeldOut()}: 3,000 other Austen sentences (none of the 400), held out from quantization
 *       calibration: the text quality is measured on;</li>
 *   <li>{@link #kjvCalibration()}: 600 King James Bible verses in random order (verse numbers stripped, median 23
 *       words): the calibration text, a different book from the held-out one.</li>
 * </ul>
 * The last two were extracted once from plain-text copies of the two corpora (paragraphs joined, split at sentence
 * ends, deduplicated, sampled with a fixed seed).
 */
public final class Sentences {
    private Sentences() {}

    public static List<String> bundled() {
        return resource("/sentences.txt");
    }

    /** 3,000 Austen sentences disjoint from {@link #bundled()} and from the calibration verses. */
    public static List<String> austenHeldOut() {
        return resource("/austen-heldout.txt");
    }

    /** 600 King James Bible verses, already shuffled: any prefix is a random sample. */
    public static List<String> kjvCalibration() {
        return resource("/kjv-calibration.txt");
    }

    private static List<String> resource(String name) {
        try (var in = Sentences.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name.substring(1) + " is not on the classpath");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> from(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }
}
