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
 * Real sentences for load: by default 400 drawn at random from Jane Austen's novels (public domain),
 * shipped as a resource, from 4 to 60 words (median 16), so that requests have a realistic mix of lengths.
 */
public final class Sentences {
    private Sentences() {}

    public static List<String> bundled() {
        try (var in = Sentences.class.getResourceAsStream("/sentences.txt")) {
            if (in == null) {
                throw new IllegalStateException("sentences.txt is not on the classpath");
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
