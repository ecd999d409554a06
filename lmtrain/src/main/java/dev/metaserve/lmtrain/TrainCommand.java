package dev.metaserve.lmtrain;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.lmtrain.model.LanguageModel;
import dev.metaserve.lmtrain.onnx.OnnxExporter;
import dev.metaserve.lmtrain.onnx.OnnxFiles;
import dev.metaserve.lmtrain.parity.ParityCheck;
import dev.metaserve.lmtrain.parity.ParityReport;
import dev.metaserve.lmtrain.train.CorpusSplit;
import dev.metaserve.lmtrain.train.DistillationLoss;
import dev.metaserve.lmtrain.train.GreedyAgreement;
import dev.metaserve.lmtrain.train.HeldOutEvaluator;
import dev.metaserve.lmtrain.train.LmTrainer;
import dev.metaserve.lmtrain.train.Manifest;
import dev.metaserve.lmtrain.train.ProgressBar;
import dev.metaserve.lmtrain.train.TeacherModel;
import dev.metaserve.lmtrain.train.TokenStreams;
import dev.metaserve.lmtrain.train.TrainingResult;
import dev.metaserve.lmtrain.train.TrainingSettings;
import dev.metaserve.models.bpe.BpeTokenizer;
import dev.metaserve.models.bpe.BpeTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code train}: tokenizer (trained once, then loaded from {@code --out}), training, held-out perplexity, ONNX export,
 * parity check and the manifest entry of one model.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the target or draft model on the corpora, exports it to ONNX and updates manifest.json.")
final class TrainCommand implements Callable<Integer> {
    static final int VOCABULARY_SIZE = 4096;
    static final String TOKENIZER_FILE = "bpe-" + VOCABULARY_SIZE + ".txt";

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "target or draft (or tiny, for trials)")
    String config;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the initialization and the window sampler; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--steps", defaultValue = "2000", description = "optimizer steps (the LR schedule spans them); default ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--max-minutes", defaultValue = "30", description = "stop after the step that crosses this wall-clock bound; default ${DEFAULT-VALUE}")
    double maxMinutes;

    @Option(names = "--batch-size", defaultValue = "16", description = "windows per step; default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--window", defaultValue = "128", description = "tokens per training window (<= context length); default ${DEFAULT-VALUE}")
    int window;

    @Option(names = "--lr", defaultValue = "1e-3", description = "peak learning rate; default ${DEFAULT-VALUE}")
    float learningRate;

    @Option(names = "--warmup", defaultValue = "100", description = "warm-up steps; default ${DEFAULT-VALUE}")
    int warmupSteps;

    @Option(names = "--weight-decay", defaultValue = "0.05", description = "AdamW weight decay; default ${DEFAULT-VALUE}")
    float weightDecay;

    @Option(names = "--teacher", description = "directory with the target's DJL weights: distil the draft from it (KL to its soft labels)")
    Path teacher;

    @Option(names = "--distill-weight", defaultValue = "0.5",
            description = "share of the KL term when distilling (the rest is next-token cross-entropy); default ${DEFAULT-VALUE}")
    float distillWeight;

    @Option(names = "--eval-tokens", defaultValue = "131072", description = "held-out tokens evaluated at most; default ${DEFAULT-VALUE}")
    long evalTokens;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads; default ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--corpus-dir", required = true, description = "directory with austen.txt.gz and kjv.txt.gz")
    Path corpusDir;

    @Option(names = "--out", required = true, description = "where the tokenizer, <config>.onnx and manifest.json go")
    Path out;

    @Option(names = "--work-dir", defaultValue = "lmtrain/target/work",
            description = "where the DJL weights (<config>-0000.params) go; default ${DEFAULT-VALUE}")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        LanguageModel.engine(threads);
        CorpusSplit split = CorpusSplit.read(corpusDir, CorpusSplit.DEFAULT_CORPORA);
        BpeTokenizer tokenizer = tokenizer(split);
        TokenStreams streams = TokenStreams.encode(tokenizer, split);
        System.err.printf("corpus: %d training tokens, %d held-out tokens, vocabulary %d%n", streams.training().length,
                streams.heldOut().length, tokenizer.vocabularySize());

        GptConfig shape = GptConfig.preset(config, tokenizer.vocabularySize());
        TrainingSettings settings = new TrainingSettings(batchSize, window, steps, Duration.ofMillis((long) (maxMinutes * 60_000)),
                learningRate, warmupSteps, weightDecay, seed);
        System.err.printf("model %s: %d parameters; %d steps of %d x %d tokens%n", shape.name(), shape.parameterCount(), steps,
                batchSize, window);
        LmTrainer trainer = new LmTrainer(settings, new ProgressBar(System.err, steps));
        try (LanguageModel model = LanguageModel.create(shape, seed)) {
            TrainingResult result;
            Double agreement = null;
            if (teacher == null) {
                result = trainer.train(model, streams.training());
            } else {
                try (LanguageModel target = LanguageModel.load(GptConfig.target(tokenizer.vocabularySize()), teacher)) {
                    result = trainer.train(model, streams.training(), new DistillationLoss(distillWeight), new TeacherModel(target));
                    agreement = GreedyAgreement.measure(model, target, streams.heldOut(), window, batchSize, evalTokens);
                    System.err.printf("greedy agreement with the target on held-out text: %.4f%n", agreement);
                }
            }
            model.save(workDir);
            HeldOutEvaluator.Perplexity perplexity = HeldOutEvaluator.evaluate(model, streams.heldOut(), window, batchSize, evalTokens);
            Path onnx = out.resolve(shape.name() + ".onnx");
            long bytes = OnnxFiles.write(OnnxExporter.export(model.block()), onnx);
            ParityReport parity = ParityCheck.run(model, onnx, seed);
            System.err.printf("%s: %d steps, %d tokens, final train loss %.4f, held-out perplexity %.2f, %.0f s; %s%n", shape.name(),
                    result.steps(), result.tokensSeen(), result.finalTrainLoss(), perplexity.perplexity(), result.seconds(), parity);
            writeManifest(tokenizer, streams, shape, settings, result, perplexity, bytes, parity, agreement);
            return parity.within(ParityCheck.TOLERANCE) ? 0 : 1;
        }
    }

    /** Loads {@code --out/bpe-4096.txt} when present (so every model shares one tokenizer), else trains and saves it. */
    private BpeTokenizer tokenizer(CorpusSplit split) throws Exception {
        Path file = out.resolve(TOKENIZER_FILE);
        if (Files.exists(file)) {
            System.err.println("tokenizer: loading " + file);
            return BpeTokenizer.load(file);
        }
        long start = System.nanoTime();
        BpeTokenizer tokenizer = new BpeTrainer(VOCABULARY_SIZE).train(split.trainingText());
        Files.createDirectories(out);
        tokenizer.save(file);
        System.err.printf("tokenizer: trained %d tokens in %.1f s, saved to %s%n", tokenizer.vocabularySize(),
                (System.nanoTime() - start) / 1e9, file);
        return tokenizer;
    }

    private void writeManifest(BpeTokenizer tokenizer, TokenStreams streams, GptConfig shape, TrainingSettings settings,
                               TrainingResult result, HeldOutEvaluator.Perplexity perplexity, long bytes, ParityReport parity,
                               Double agreement)
            throws Exception {
        Manifest manifest = Manifest.open(out.resolve("manifest.json"));
        JsonObject tokenizerSection = new JsonObject();
        tokenizerSection.addProperty("file", TOKENIZER_FILE);
        tokenizerSection.addProperty("vocab_size", tokenizer.vocabularySize());
        tokenizerSection.addProperty("end_of_text_id", BpeTokenizer.END_OF_TEXT_ID);
        tokenizerSection.addProperty("trained_on", "the training part of every corpus, documents joined by <|endoftext|>");
        manifest.putSection("tokenizer", tokenizerSection);

        JsonObject corpus = new JsonObject();
        JsonArray files = new JsonArray();
        CorpusSplit.DEFAULT_CORPORA.forEach(name -> files.add(name + ".txt.gz"));
        corpus.add("files", files);
        corpus.addProperty("documents", "each corpus file is one document, followed by end-of-text (256) in the token stream");
        corpus.addProperty("held_out", "the last 5% of the characters of each corpus, from the next line start; never trained on");
        corpus.addProperty("training_tokens", streams.training().length);
        corpus.addProperty("held_out_tokens", streams.heldOut().length);
        manifest.putSection("corpus", corpus);

        JsonObject model = new JsonObject();
        model.addProperty("file", shape.name() + ".onnx");
        model.addProperty("vocab_size", shape.vocabularySize());
        model.addProperty("context_length", shape.contextLength());
        model.addProperty("layers", shape.layers());
        model.addProperty("heads", shape.heads());
        model.addProperty("d_model", shape.dModel());
        model.addProperty("parameters", shape.parameterCount());
        model.addProperty("file_bytes", bytes);
        model.addProperty("objective", teacher == null ? "next-token cross-entropy"
                : String.format("distilled from target: %.2f x KL(target || draft) + %.2f x next-token cross-entropy", distillWeight,
                1 - distillWeight));
        model.addProperty("seed", settings.seed());
        model.addProperty("steps", result.steps());
        model.addProperty("planned_steps", settings.steps());
        model.addProperty("stopped_by_time_bound", result.stoppedByTime());
        model.addProperty("batch_size", settings.batchSize());
        model.addProperty("window", settings.windowLength());
        model.addProperty("peak_learning_rate", settings.peakLearningRate());
        model.addProperty("warmup_steps", settings.warmupSteps());
        model.addProperty("weight_decay", settings.weightDecay());
        model.addProperty("tokens_seen", result.tokensSeen());
        model.addProperty("final_train_loss", round(result.finalTrainLoss()));
        model.addProperty("held_out_perplexity", round(perplexity.perplexity()));
        model.addProperty("held_out_loss", round(perplexity.meanLoss()));
        model.addProperty("held_out_tokens_evaluated", perplexity.tokens());
        if (agreement != null) {
            model.addProperty("held_out_greedy_agreement_with_target", round(agreement));
        }
        model.addProperty("training_seconds", Math.round(result.seconds()));
        model.addProperty("threads", threads);
        model.addProperty("parity_max_abs_diff_full", parity.fullPass());
        model.addProperty("parity_max_abs_diff_kv_cache", parity.incremental());
        model.addProperty("trained_at", Instant.now().toString());
        model.addProperty("command_line", "java -jar lmtrain/target/lmtrain.jar " + String.join(" ", commandLine()));
        manifest.putModel(shape.name(), model);
        manifest.save();
    }

    private List<String> commandLine() {
        return spec.commandLine().getParseResult().originalArgs();
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
