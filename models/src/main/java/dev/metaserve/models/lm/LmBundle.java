package dev.metaserve.models.lm;

import dev.metaserve.accelerators.generation.ContinuousBatchingGenerator;
import dev.metaserve.models.ModelLoadException;
import dev.metaserve.models.bpe.BpeTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A target language model, its optional draft and their tokenizer, loaded together: the bundled ones
 * ({@link #loadBundled}) or files ({@link #load}). Closing it closes both models; close generators made from it first.
 */
public final class LmBundle implements AutoCloseable {
    /** Where the bundled files are on the classpath. */
    public static final String RESOURCE_DIRECTORY = "/dev/metaserve/models/lm/";

    private final BpeTokenizer tokenizer;
    private final OnnxCausalLm target;
    private final OnnxCausalLm draft;

    private LmBundle(BpeTokenizer tokenizer, OnnxCausalLm target, OnnxCausalLm draft) {
        if (draft != null && draft.vocabularySize() != target.vocabularySize()) {
            target.close();
            draft.close();
            throw new ModelLoadException("the draft model's vocabulary (" + draft.vocabularySize()
                    + ") differs from the target's (" + target.vocabularySize() + ")", null);
        }
        if (target.vocabularySize() < tokenizer.vocabularySize()) {
            target.close();
            if (draft != null) {
                draft.close();
            }
            throw new ModelLoadException("the tokenizer's " + tokenizer.vocabularySize() + " tokens do not fit the"
                    + " model's vocabulary of " + target.vocabularySize(), null);
        }
        this.tokenizer = tokenizer;
        this.target = target;
        this.draft = draft;
    }

    /**
     * Loads {@code bpe-4096.txt}, {@code target.onnx} and {@code draft.onnx} from the classpath
     * ({@value #RESOURCE_DIRECTORY}).
     *
     * @throws ModelLoadException when a file is missing or refused
     */
    public static LmBundle loadBundled(int intraOpThreads) {
        BpeTokenizer tokenizer = readTokenizer(RESOURCE_DIRECTORY + "bpe-4096.txt");
        OnnxCausalLm target = OnnxCausalLm.loadResource(RESOURCE_DIRECTORY + "target.onnx", intraOpThreads);
        try {
            return new LmBundle(tokenizer, target,
                    OnnxCausalLm.loadResource(RESOURCE_DIRECTORY + "draft.onnx", intraOpThreads));
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /**
     * Loads a tokenizer ({@code BpeTokenizer.save} format), a target graph and, if {@code draftFile} is not null, a
     * draft graph from files.
     */
    public static LmBundle load(Path tokenizerFile, Path targetFile, Path draftFile, int intraOpThreads) {
        BpeTokenizer tokenizer;
        try {
            tokenizer = BpeTokenizer.load(tokenizerFile);
        } catch (IOException e) {
            throw new ModelLoadException("could not load tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        }
        OnnxCausalLm target = OnnxCausalLm.load(targetFile, intraOpThreads);
        try {
            return new LmBundle(tokenizer, target, draftFile == null ? null : OnnxCausalLm.load(draftFile, intraOpThreads));
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    private static BpeTokenizer readTokenizer(String resource) {
        try (InputStream in = LmBundle.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelLoadException("classpath resource " + resource + " not found", null);
            }
            Path file = Files.createTempFile("metaserve-bpe", ".txt");
            try {
                Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return BpeTokenizer.load(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new ModelLoadException("could not read " + resource + ": " + e.getMessage(), e);
        }
    }

    /** A continuous-batching generator over this bundle's target and draft (the caller closes it before the bundle). */
    public ContinuousBatchingGenerator newGenerator(ContinuousBatchingGenerator.Settings settings) {
        return new ContinuousBatchingGenerator(target, draft, settings);
    }

    public BpeTokenizer tokenizer() {
        return tokenizer;
    }

    public OnnxCausalLm target() {
        return target;
    }

    /** The draft model, or null when there is none. */
    public OnnxCausalLm draft() {
        return draft;
    }

    @Override
    public void close() {
        target.close();
        if (draft != null) {
            draft.close();
        }
    }
}
