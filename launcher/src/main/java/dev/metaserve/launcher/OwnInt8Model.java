package dev.metaserve.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The project's own INT8 twin of the encoder, made once by the {@code quant} command (percentile
 * calibration on 256 bundled King James verses: the best method measured, see quant/README.md) and
 * kept under {@code target/models/} for the next start.
 */
final class OwnInt8Model {
    static final String FILE = "target/models/all-minilm-l6-v2-int8.onnx";
    private static final String CALIBRATION = "quant/target/classes/calibration/kjv-256.txt";

    private OwnInt8Model() {}

    /** The model file, quantizing first if it is not there yet. */
    static Path ensure(Path root, Path logDir) throws IOException, InterruptedException {
        Path model = root.resolve(FILE);
        if (Files.isRegularFile(model)) {
            return model;
        }
        Path quantJar = root.resolve("quant/target/quant.jar");
        Path calibration = root.resolve(CALIBRATION);
        for (Path needed : List.of(quantJar, calibration)) {
            if (!Files.exists(needed)) {
                throw new IOException(needed + " is missing: build first with 'mvn -DskipTests package'");
            }
        }
        Files.createDirectories(model.getParent());
        System.out.println("making the INT8 model once (about a minute; log in " + logDir.resolve("quant.log") + ") ...");
        ManagedProcess quant = ManagedProcess.start("quant", List.of(LocalCluster.java(), "-Dai.djl.offline=true",
                "-jar", quantJar.toString(), "--method", "percentile", "--calibration", calibration.toString(),
                "--out", model.toString()), logDir);
        int exit = quant.awaitExit(Duration.ofMinutes(10));
        if (exit != 0 || !Files.isRegularFile(model)) {
            throw new IOException("quantization failed (exit " + exit + "); see " + quant.log());
        }
        return model;
    }
}
