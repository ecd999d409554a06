package dev.metaserve.lmtrain.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link GptModel} with its DJL {@link Model} (PyTorch engine, CPU): creation with seeded initialization, saving and
 * loading of the weights, and plain-array inference for checks. Owns native memory: close it.
 */
public final class LanguageModel implements AutoCloseable {
    /** Standard deviation of the normal initialization of every weight matrix and embedding (as GPT-2). */
    public static final float INIT_STDDEV = 0.02f;
    private static final String ENGINE = "PyTorch";

    private final Model model;
    private final GptModel block;

    private LanguageModel(Model model, GptModel block) {
        this.model = model;
        this.block = block;
    }

    /**
     * Loads the PyTorch engine offline (the native library comes from the pytorch-native-cpu jar) with this many
     * intra-op threads. Only the first call in a JVM decides the threads: PyTorch reads them once.
     */
    public static Engine engine(int threads) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        return engine();
    }

    /** Loads the PyTorch engine offline, with the threads already chosen (by default PyTorch uses every core). */
    public static Engine engine() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        return Engine.getEngine(ENGINE);
    }

    /** A model with fresh weights: normal(0, {@link #INIT_STDDEV}) matrices and embeddings, zero biases, unit norms. */
    public static LanguageModel create(GptConfig config, long seed) {
        return create(config, seed, INIT_STDDEV);
    }

    /** A model with fresh weights drawn with the given standard deviation (larger values give livelier test models). */
    public static LanguageModel create(GptConfig config, long seed, float initStddev) {
        Engine engine = engine();
        engine.setRandomSeed((int) seed);
        GptModel block = new GptModel(config);
        block.setInitializer(new NormalInitializer(initStddev), Parameter.Type.WEIGHT);
        Model model = Model.newInstance(config.name(), Device.cpu(), ENGINE);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShapes(1, config.contextLength()));
        return new LanguageModel(model, block);
    }

    /** Loads weights saved by {@link #save}. */
    public static LanguageModel load(GptConfig config, Path directory) throws IOException {
        engine();
        GptModel block = new GptModel(config);
        Model model = Model.newInstance(config.name(), Device.cpu(), ENGINE);
        model.setBlock(block);
        try {
            model.load(directory, config.name());
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("weights in " + directory + " do not fit " + config + ": " + e.getMessage(), e);
        }
        return new LanguageModel(model, block);
    }

    /** Shapes of (input_ids, position_ids, attention_bias) for a batch. */
    public static Shape[] inputShapes(int batch, int length) {
        return new Shape[] {new Shape(batch, length), new Shape(batch, length), new Shape(batch, length, length)};
    }

    /** Writes the weights as {@code <name>-0000.params} into the directory. */
    public void save(Path directory) throws IOException {
        // Without an epoch DJL numbers each save anew (-0001, -0002...); one file per model is what callers expect.
        model.setProperty("Epoch", "0");
        model.save(directory, block.config().name());
    }

    public Model djlModel() {
        return model;
    }

    public GptModel block() {
        return block;
    }

    public GptConfig config() {
        return block.config();
    }

    /**
     * Logits {@code [batch, length, V]} (row-major) of one full pass without a cache.
     *
     * @param inputIds {@code [batch, length]} row-major
     * @param positionIds {@code [batch, length]} row-major
     * @param attentionBias {@code [batch, length, length]} row-major
     */
    public float[] logits(long[] inputIds, long[] positionIds, float[] attentionBias, int batch, int length) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(manager.create(inputIds, new Shape(batch, length)),
                    manager.create(positionIds, new Shape(batch, length)),
                    manager.create(attentionBias, new Shape(batch, length, length)));
            NDArray logits = block.forward(new ParameterStore(manager, false), inputs, false).singletonOrThrow();
            return logits.toFloatArray();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
