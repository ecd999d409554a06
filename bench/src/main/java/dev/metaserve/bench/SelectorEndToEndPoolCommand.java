package dev.metaserve.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.metaserve.bench.e2e.RunPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bench selector-e2e-pool}: several selector-e2e results judged as one longer run, with how sure that is. */
@Command(name = "selector-e2e-pool", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pools the measured rounds of several selector-e2e result files (same classes and modes, e.g."
                + " runs of the same code) and judges them as one run: per class the selector's mean over its best"
                + " fixed plan's, with a bootstrap interval over rounds and the share of draws in which the selector"
                + " matches; over all classes the share of draws that meet the end-to-end aim.",
                "Prints a table and writes JSON. Takes seconds; starts nothing."})
public final class SelectorEndToEndPoolCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RESULT.json", description = "selector-e2e result files.")
    List<Path> files;

    @Option(names = "--draws", defaultValue = "2000", description = "Bootstrap draws (default: ${DEFAULT-VALUE}).")
    int draws;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "bench/results/selector-e2e-pooled.json",
            description = "JSON result file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (draws < 1) {
            throw bad("--draws must be at least 1, was " + draws);
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw bad("cannot read " + file + ": not a readable file");
            }
        }
        try {
            RunPool.report(files, draws, seed, out, System.out);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        } catch (JsonProcessingException e) {
            throw bad("a result file is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad("cannot read the result files or write " + out + ": " + e);
        }
        return 0;
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
