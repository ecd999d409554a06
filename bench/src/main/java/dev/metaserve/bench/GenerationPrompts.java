package dev.metaserve.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The two prompt sets of the generation benchmark. {@code held-out}: passages of the text the language models did not
 * train on (bundled as {@code prompts-heldout.txt}: eight Austen paragraphs of 250-520 characters and eight runs of
 * King James verses of about 300 characters, evenly spaced through the held-out last 5% of each corpus that
 * {@code lmtrain} sets aside). {@code repetitive}: the same passages followed by a blank line
 * and their own first third, the way a summary or an edit repeats its source, so the continuation can be copied from
 * the prompt: the case prompt-lookup (n-gram) drafting is built for.
 */
public final class GenerationPrompts {
    private static final String RESOURCE = "/dev/metaserve/bench/prompts-heldout.txt";

    private GenerationPrompts() {}

    /** Passages separated by blank lines in the bundled file. */
    public static List<String> heldOut() {
        try (InputStream in = GenerationPrompts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("\\n\\s*\\n")).map(String::strip).filter(p -> !p.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each passage, a blank line, then the passage's first third again (cut at a space). */
    static List<String> repetitive(List<String> passages) {
        List<String> prompts = new ArrayList<>();
        for (String passage : passages) {
            int cut = passage.indexOf(' ', passage.length() / 3);
            prompts.add(passage + "\n\n" + passage.substring(0, cut < 0 ? passage.length() : cut));
        }
        return prompts;
    }
}
