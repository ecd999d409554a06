package dev.metaserve.lmtrain;

import dev.metaserve.lmtrain.model.GptConfig;
import dev.metaserve.lmtrain.model.LanguageModel;
import dev.metaserve.lmtrain.onnx.OnnxExporter;
import dev.metaserve.lmtrain.onnx.OnnxFiles;
import dev.metaserve.lmtrain.parity.ParityCheck;
import dev.metaserve.lmtrain.parity.ParityReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tiny}: writes the random-weight test model (2 layers, d 32, 2 heads, context 64) and checks it against DJL. */
@Command(name = "tiny", mixinStandardHelpOptions = true,
        description = "Exports a random-init tiny decoder for the runtime's tests and checks it against DJL.")
final class TinyCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "models/src/test/resources/dev/metaserve/models/lm/tiny-lm.onnx",
            description = "ONNX file to write; default ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--vocab", defaultValue = "4096", description = "vocabulary size; default ${DEFAULT-VALUE}")
    int vocabularySize;

    @Option(names = "--seed", defaultValue = "7", description = "initialization seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--init-stddev", defaultValue = "0.2",
            description = "standard deviation of the random weights (larger than training's 0.02, so logits differ clearly); default ${DEFAULT-VALUE}")
    float initStddev;

    @Option(names = "--threads", defaultValue = "1", description = "PyTorch intra-op threads; default ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        LanguageModel.engine(threads);
        try (LanguageModel model = LanguageModel.create(GptConfig.tiny(vocabularySize), seed, initStddev)) {
            long bytes = OnnxFiles.write(OnnxExporter.export(model.block()), out);
            ParityReport report = ParityCheck.run(model, out, seed);
            System.out.printf("wrote %s (%d bytes, %d parameters)%n%s%n", out, bytes, model.config().parameterCount(), report);
            return report.within(ParityCheck.TOLERANCE) ? 0 : 1;
        }
    }
}
