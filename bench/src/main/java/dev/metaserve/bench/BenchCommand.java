package dev.metaserve.bench;

import dev.metaserve.bench.jmh.SelectorDecisionCommand;
import dev.metaserve.bench.sweep.SweepCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench}: the benchmarks and the load generator. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {LoadCommand.class, GatewayOverheadBenchmark.class, BatchingBenchmark.class,
                BatchPaddingBenchmark.class, QuantizationBenchmark.class, GenerationBenchmark.class,
                SweepCommand.class, SelectorDecisionCommand.class, SelectorEndToEndBenchmark.class,
                SelectorEndToEndPoolCommand.class},
        description = "Benchmarks of metaserve, run against the product as it ships.")
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
