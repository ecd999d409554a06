package dev.metaserve.lmtrain.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * How a corpus compares with a reference copy: identical text, or how many lines and whitespace-separated words
 * differ (counted as multisets, so a moved word is no difference) and where the first difference is.
 *
 * @param firstDifferentLine 1-based; 0 when the texts are identical
 */
public record CorpusComparison(boolean identical, long lines, long referenceLines, long words, long referenceWords,
                               long wordsOnlyHere, long wordsOnlyInReference, int firstDifferentLine) {

    public static CorpusComparison of(String text, String reference) {
        List<String> lines = text.lines().toList();
        List<String> referenceLines = reference.lines().toList();
        int first = 0;
        if (!text.equals(reference)) {
            first = 1;
            while (first <= Math.min(lines.size(), referenceLines.size())
                    && lines.get(first - 1).equals(referenceLines.get(first - 1))) {
                first++;
            }
        }
        Map<String, Long> balance = new HashMap<>();
        long words = countWords(text, balance, 1);
        long referenceWords = countWords(reference, balance, -1);
        long onlyHere = balance.values().stream().filter(n -> n > 0).mapToLong(Long::longValue).sum();
        long onlyInReference = -balance.values().stream().filter(n -> n < 0).mapToLong(Long::longValue).sum();
        return new CorpusComparison(text.equals(reference), lines.size(), referenceLines.size(), words,
                referenceWords, onlyHere, onlyInReference, first);
    }

    /** Compares two gzipped UTF-8 corpus files. */
    public static CorpusComparison ofFiles(Path file, Path reference) {
        return of(readGzip(file), readGzip(reference));
    }

    static String readGzip(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CorpusException("cannot read gzipped corpus " + file + ": " + e.getMessage(), e);
        }
    }

    private static long countWords(String text, Map<String, Long> balance, long sign) {
        long count = 0;
        for (String word : text.split("\\s+")) {
            if (!word.isEmpty()) {
                balance.merge(word, sign, Long::sum);
                count++;
            }
        }
        return count;
    }

    /** One line for people. */
    public String summary() {
        if (identical) {
            return "identical text (" + lines + " lines, " + words + " words)";
        }
        return "differs from line " + firstDifferentLine + ": " + lines + " vs " + referenceLines + " lines, "
                + words + " vs " + referenceWords + " words; " + wordsOnlyHere + " words only here, "
                + wordsOnlyInReference + " only in the reference";
    }
}
