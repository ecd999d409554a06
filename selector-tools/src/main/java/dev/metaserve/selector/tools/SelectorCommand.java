package dev.metaserve.selector.tools;

import dev.metaserve.selector.model.ModelFormatException;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code selector.jar}: {@code train} and {@code evaluate}. Exit code 0 on success, 1 when the data,
 * a file or a setting is wrong (one line saying what), 2 on bad usage.
 */
@Command(name = "selector", mixinStandardHelpOptions = true,
        description = "The meta-learned plan selector: offline training and leave-task-out evaluation.",
        subcommands = {TrainCommand.class, EvaluateCommand.class})
public final class SelectorCommand implements Runnable {
    /** Kept referenced, so the level set on it is not collected with it. */
    private static final Logger TRIBUO = Logger.getLogger("org.tribuo");
    /** DJL (MiniLM's tokenizer) warns that it finds no CUDA driver: true, and irrelevant on a CPU machine. */
    private static final Logger DJL_CUDA = Logger.getLogger("ai.djl.util.cuda");

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command with the given streams; returns the exit code. */
    static int run(PrintWriter stdout, PrintWriter stderr, String... args) {
        // Tribuo logs every bagged tree and every XGBoost round at INFO
        TRIBUO.setLevel(Level.WARNING);
        DJL_CUDA.setLevel(Level.SEVERE);
        CommandLine commandLine = new CommandLine(new SelectorCommand()).setOut(stdout).setErr(stderr);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ToolException || e instanceof ModelFormatException
                    || e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
                line.getErr().println("selector " + line.getCommandName() + ": " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
