package dev.metaserve.lmtrain;

import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.lmtrain.model.LanguageModel;
import dev.metaserve.lmtrain.onnx.OnnxExporter;
import dev.metaserve.lmtrain.onnx.OnnxFiles;
import dev.metaserve.lmtrain.parity.ParityCheck;
import dev.metaserve.lmtrain.parity.ParityReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check}: compares ONNX Runtime's logits with DJL's (full pass and incremental decoding with the KV cache), for
 * trained weights ({@code --weights} + {@code --onnx}) or, without them, a random-init model exported on the spot.
 * Exit code 0 when within 1e-4, 1 when not.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parity of the ONNX export (ONNX Runtime) against DJL, full pass and with the KV cache.")
final class CheckCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = "tiny", description = "target, draft or tiny; default ${DEFAULT-VALUE}")
    String config;

    @Option(names = "--vocab", defaultValue = "4096", description = "vocabulary size; default ${DEFAULT-VALUE}")
    int vocabularySize;

    @Option(names = "--weights", description = "directory with DJL weights saved by train (<config>-0000.params); default: random init")
    Path weights;

    @Option(names = "--onnx", description = "the ONNX export of those weights; default: export to a temporary file")
    Path onnx;

    @Option(names = "--seed", defaultValue = "11", description = "seed of the random init and the test tokens; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--init-stddev", defaultValue = "0.2", description = "standard deviation of a random init; default ${DEFAULT-VALUE}")
    float initStddev;

    @Option(names = "--threads", defaultValue = "1", description = "PyTorch intra-op threads; default ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        LanguageModel.engine(threads);
        GptConfig shape = GptConfig.preset(config, vocabularySize);
        try (LanguageModel model = weights == null ? LanguageModel.create(shape, seed, initStddev) : LanguageModel.load(shape, weights)) {
            Path file = onnx;
            if (file == null) {
                file = Files.createTempFile("lm-check", ".onnx");
                OnnxFiles.write(OnnxExporter.export(model.block()), file);
            }
            try {
                ParityReport report = ParityCheck.run(model, file, seed);
                System.out.println(config + ": " + report);
                return report.within(ParityCheck.TOLERANCE) ? 0 : 1;
            } finally {
                if (onnx == null) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
