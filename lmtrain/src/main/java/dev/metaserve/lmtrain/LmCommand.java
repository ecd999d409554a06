package dev.metaserve.lmtrain;

import dev.metaserve.lmtrain.corpus.CorpusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code lmtrain.jar}: {@code corpus}, {@code train}, {@code check} and {@code tiny}. */
@Command(name = "lmtrain", mixinStandardHelpOptions = true,
        description = "Trains the project's GPT-style language models with DJL and exports them to ONNX with a KV cache.",
        subcommands = {CorpusCommand.class, TrainCommand.class, CheckCommand.class, TinyCommand.class})
public final class LmCommand implements Runnable {
    public static void main(String[] args) {
        // DJL must never try to download an engine: the native library comes from the pytorch-native-cpu jar.
        System.setProperty("ai.djl.offline", "true");
        CommandLine commandLine = new CommandLine(new LmCommand());
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            command.getErr().println("lmtrain " + command.getCommandName() + ": " + exception.getMessage());
            return 1;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
