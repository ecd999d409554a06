package dev.metaserve.lmtrain.corpus;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The King James Bible as text. The {@code bible-kjv-text} package stores it in the program-specific "EC02 Compressed
 * Data File" format, so the text is printed by the {@code bible} program from {@code bible-kjv} (a Linux amd64
 * executable that needs {@code libreadline8}), run from a private temporary directory.
 *
 * <p>Output: for each chapter a blank line, the heading ({@code Genesis 1}), a blank line, then one line per verse,
 * {@code "  N text"}.
 */
public final class KjvCorpus {
    static final String PROGRAM = "usr/bin/bible";
    static final String DATA = "usr/lib/bible.data";
    /** The concordance; the program looks for it next to the data file and complains without it. */
    static final String CONCORDANCE = "usr/lib/bible.data.conc";
    /** {@code -l} sets the line width; wider than any verse, so each verse stays on one line. */
    static final List<String> PRINT_ALL_VERSES = List.of("-p", ".", "-l100000", "Gen1:1-Rev22:21");
    static final int VERSE_COUNT = 31_102;

    private KjvCorpus() {
    }

    /** The whole text, printed by the program in {@code programDeb} from the data in {@code textDeb}. */
    public static String text(byte[] programDeb, byte[] textDeb, Duration timeout) {
        requireLinuxAmd64();
        byte[] program = DebArchive.extract(programDeb, Set.of(PROGRAM)).get(PROGRAM);
        Map<String, byte[]> data = DebArchive.extract(textDeb, Set.of(DATA, CONCORDANCE));
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("kjv-");
            Path executable = workDir.resolve("bible");
            Files.write(executable, program);
            Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
            Files.write(workDir.resolve("bible.data"), data.get(DATA));
            Files.write(workDir.resolve("bible.data.conc"), data.get(CONCORDANCE));
            String text = run(executable, workDir, timeout);
            checkComplete(text);
            return text;
        } catch (IOException e) {
            throw new CorpusException("cannot run the bible program: " + e.getMessage(), e);
        } finally {
            deleteQuietly(workDir);
        }
    }

    private static String run(Path executable, Path workDir, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(Stream.concat(Stream.of(executable.toString()),
                PRINT_ALL_VERSES.stream()).toList())
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        CompletableFuture<byte[]> stdout = readAllAsync(process.getInputStream());
        CompletableFuture<byte[]> stderr = readAllAsync(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CorpusException("the bible program did not finish within " + timeout);
            }
            byte[] out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String err = new String(stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new CorpusException("the bible program failed with exit code " + process.exitValue()
                        + " (it needs libreadline8): " + err.strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorpusException("interrupted while running the bible program", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CorpusException("cannot read the bible program's output: " + e, e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static CompletableFuture<byte[]> readAllAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A truncated or empty print-out must not pass for the corpus. */
    static void checkComplete(String text) {
        long verses = text.lines().filter(line -> line.matches(" {2}\\d+ .*")).count();
        if (verses != VERSE_COUNT || !text.startsWith("\nGenesis 1\n") || !text.endsWith("Amen.\n")) {
            throw new CorpusException("the bible program printed " + verses + " verses in " + text.length()
                    + " characters; expected all " + VERSE_COUNT + " from Genesis 1 to Revelation 22");
        }
    }

    private static void requireLinuxAmd64() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new CorpusException("the KJV text is decoded by Debian's amd64 'bible' program, which cannot run on "
                    + os + "/" + arch);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
