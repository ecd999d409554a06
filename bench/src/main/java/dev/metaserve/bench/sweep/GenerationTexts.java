package dev.metaserve.bench.sweep;

import dev.metaserve.bench.GenerationPrompts;
import dev.metaserve.models.bpe.BpeTokenizer;
import dev.metaserve.models.lm.LmBundle;
import dev.metaserve.selector.store.TaskProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The prompts the sweep has the language model continue, cut to a number of tokens of the model's own BPE tokenizer,
 * from the held-out passages of the generation benchmark ({@link GenerationPrompts}: text the model did not train on).
 * Source {@code i} is passage {@code i} followed by the next two passages of the same book, so that even long prompts
 * are one running text. {@code prose}: its first N tokens. {@code repetitive}: its first 70% of N tokens, a blank line,
 * and the start of those tokens again up to N, the way a summary or an edit repeats its source: the continuation can
 * be copied from the prompt, which n-gram drafting is built for.
 */
public final class GenerationTexts {
    public static final String PROSE = TaskProfile.PROSE;
    public static final String REPETITIVE = TaskProfile.REPETITIVE;
    private static final String TOKENIZER = LmBundle.RESOURCE_DIRECTORY + "bpe-4096.txt";

    private final BpeTokenizer tokenizer;
    private final List<String> sources;

    private GenerationTexts(BpeTokenizer tokenizer, List<String> sources) {
        this.tokenizer = tokenizer;
        this.sources = sources;
    }

    /** The bundled tokenizer and passages. */
    public static GenerationTexts bundled() {
        List<String> passages = GenerationPrompts.heldOut();
        int half = passages.size() / 2; // the first half is Austen, the second the King James Bible
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < passages.size(); i++) {
            int book = i < half ? 0 : half;
            int size = i < half ? half : passages.size() - half;
            int at = i - book;
            sources.add(passages.get(i) + "\n\n" + passages.get(book + (at + 1) % size) + "\n\n"
                    + passages.get(book + (at + 2) % size));
        }
        return new GenerationTexts(readTokenizer(), sources);
    }

    /** Prompts of one kind ({@value #PROSE} or {@value #REPETITIVE}) of {@code tokens} tokens, one per passage. */
    public TextPool pool(String kind, int tokens) {
        if (tokens < 4) {
            throw new IllegalArgumentException("prompts must be at least 4 tokens, was " + tokens);
        }
        List<String> prompts = new ArrayList<>();
        long total = 0;
        for (String source : sources) {
            int[] ids = tokenizer.encode(source);
            if (ids.length < tokens) {
                throw new IllegalStateException("a held-out passage has only " + ids.length + " tokens, fewer than "
                        + tokens);
            }
            String prompt = switch (kind) {
                case PROSE -> tokenizer.decode(Arrays.copyOf(ids, tokens));
                case REPETITIVE -> repetitive(ids, tokens);
                default -> throw new IllegalArgumentException("prompt kind '" + kind + "' is neither '" + PROSE
                        + "' nor '" + REPETITIVE + "'");
            };
            prompts.add(prompt);
            total += tokenizer.encode(prompt).length;
        }
        return new TextPool(kind + "-" + tokens, kind, prompts, (int) Math.round((double) total / prompts.size()));
    }

    private String repetitive(int[] ids, int tokens) {
        int[] separator = tokenizer.encode("\n\n");
        int head = (int) Math.round(tokens * 0.7);
        int repeated = Math.max(1, tokens - head - separator.length);
        String source = tokenizer.decode(Arrays.copyOf(ids, head));
        return source + "\n\n" + tokenizer.decode(Arrays.copyOf(ids, repeated));
    }

    private static BpeTokenizer readTokenizer() {
        try (InputStream in = GenerationTexts.class.getResourceAsStream(TOKENIZER)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + TOKENIZER + " not found (models jar)");
            }
            Path file = Files.createTempFile("sweep-bpe", ".txt");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return BpeTokenizer.load(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
