package dev.metaserve.lmtrain.corpus;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corpus}: obtains the training text ({@code fetch}) and compares it with a reference copy ({@code compare}).
 * Exit codes: 0 success, 1 the text could not be obtained or compared (the message says why), 2 bad usage.
 */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Training text from Debian packages: Jane Austen's novels and the King James Bible.",
        subcommands = {CorpusCommand.Fetch.class, CorpusCommand.Compare.class})
public final class CorpusCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download the pinned Debian packages and write " + CorpusFetcher.AUSTEN_FILE + " and "
                    + CorpusFetcher.KJV_FILE + " (gzipped UTF-8).")
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--mirror", defaultValue = CorpusFetcher.DEFAULT_MIRROR_URL,
                description = "Debian mirror carrying bookworm's pool; default ${DEFAULT-VALUE}")
        URI mirror;

        @Option(names = "--out", defaultValue = CorpusFetcher.DEFAULT_OUT_DIR,
                description = "output directory, created if missing; default ${DEFAULT-VALUE}")
        Path out;

        @Option(names = "--force", description = "rebuild files that already exist")
        boolean force;

        @Option(names = "--download-timeout-seconds", defaultValue = "120",
                description = "deadline of each package download; default ${DEFAULT-VALUE}")
        long downloadTimeoutSeconds;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CorpusFetcher.Settings settings = new CorpusFetcher.Settings(mirror, this.out, force,
                    Duration.ofSeconds(downloadTimeoutSeconds), CorpusFetcher.Settings.DEFAULT_PROGRAM_TIMEOUT);
            try {
                List<CorpusFetcher.Outcome> outcomes =
                        new CorpusFetcher(settings, CorpusFetcher.defaultHttpClient(), line -> {
                            out.println(line);
                            out.flush();
                        }).fetchAll();
                out.println("corpus ready: " + outcomes.stream().map(o -> o.file().toString()).toList());
                return 0;
            } catch (CorpusException e) {
                err.println("corpus fetch failed: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Compare the corpus files in --out with those of the same name in --reference.")
    static final class Compare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", defaultValue = CorpusFetcher.DEFAULT_OUT_DIR,
                description = "directory with the fetched corpus; default ${DEFAULT-VALUE}")
        Path out;

        @Option(names = "--reference", required = true, description = "directory with reference copies")
        Path reference;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int exitCode = 0;
            try {
                for (String name : List.of(CorpusFetcher.AUSTEN_FILE, CorpusFetcher.KJV_FILE)) {
                    Path ours = this.out.resolve(name);
                    Path theirs = reference.resolve(name);
                    if (!Files.exists(ours) || !Files.exists(theirs)) {
                        err.println(name + ": missing " + (Files.exists(ours) ? theirs : ours));
                        exitCode = 1;
                        continue;
                    }
                    out.println(name + ": " + CorpusComparison.ofFiles(ours, theirs).summary());
                }
                return exitCode;
            } catch (CorpusException e) {
                err.println("corpus compare failed: " + e.getMessage());
                return 1;
            }
        }
    }
}
