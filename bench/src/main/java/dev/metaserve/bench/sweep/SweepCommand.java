package dev.metaserve.bench.sweep;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.store.ObservationStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench sweep}: measures plans on nodes of different hardware over a grid of tasks and appends the observations
 * to the performance history store; resumable. Subcommands export the observations to CSV and summarise them.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {SweepExportCommand.class, SweepSummaryCommand.class},
        description = {"Profiling sweep: measures real plans on real nodes (node profiles with their own threads, CPU"
                + " affinity, heap and injected delay) over a grid of tasks, and appends the observations to the"
                + " history store. Each cell is measured --rounds times, in interleaved rounds. Cells already in the"
                + " store (all rounds) are skipped, so a stopped sweep continues when run again.",
                "Progress goes to stderr."})
public final class SweepCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--root", defaultValue = ".", description = "Project checkout with the built node program (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--grid", defaultValue = "default",
            description = "default (408 cells, about 35 minutes per round on 2 cores) or small (30 cells, a few minutes per round) (default: ${DEFAULT-VALUE}).")
    String grid;

    @Option(names = "--profiles", split = ",",
            description = "Node profiles to measure on, of fast, single, far, small-heap (default: the grid's: fast,single,far).")
    List<String> profiles;

    @Option(names = "--models", split = ",",
            description = "Models to measure: all-minilm-l6-v2, austen-kjv (default: both).")
    List<String> models;

    @Option(names = "--embedding-concurrency", split = ",", description = "Concurrencies of embedding cells (default: the grid's).")
    List<Integer> embeddingConcurrency;

    @Option(names = "--generation-concurrency", split = ",", description = "Concurrencies of generation cells (default: the grid's).")
    List<Integer> generationConcurrency;

    @Option(names = "--embedding-plans", split = ";", description = "Embedding plans, ';'-separated, e.g."
            + " 'batching=none,precision=int8;batching=dynamic(16,2000),precision=fp32' (default: the grid's).")
    List<String> embeddingPlans;

    @Option(names = "--generation-plans", split = ";", description = "Generation plans, ';'-separated, e.g."
            + " 'decoding=plain;decoding=draft(6)' (default: the grid's).")
    List<String> generationPlans;

    @Option(names = "--limit-cells", description = "Only the first N cells of the grid, in its order (for quick runs).")
    Integer limitCells;

    @Option(names = "--rounds", defaultValue = "2",
            description = "Measurements of each cell, each stored as its own observations, made in interleaved rounds"
                    + " (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-seconds", defaultValue = "1", description = "Unmeasured load before each cell's window (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--measure-seconds", defaultValue = "3", description = "Shortest measurement window of a cell (default: ${DEFAULT-VALUE}).")
    double measureSeconds;

    @Option(names = "--min-requests", defaultValue = "30", description = "Requests a window must hold, unless --max-measure-seconds ends it (default: ${DEFAULT-VALUE}).")
    int minRequests;

    @Option(names = "--max-measure-seconds", defaultValue = "20", description = "Longest measurement window (default: ${DEFAULT-VALUE}).")
    double maxMeasureSeconds;

    @Option(names = "--quality-tolerances", split = ",", defaultValue = "0,0.02",
            description = "Quality tolerances each measurement is stored under (default: ${DEFAULT-VALUE}).")
    List<Double> tolerances;

    @Option(names = "--int8-model", defaultValue = "anchor",
            description = "The nodes' INT8 twin (node option --int8-model): anchor or an ONNX file (default: ${DEFAULT-VALUE}).")
    String int8Model;

    @Option(names = "--log-dir", defaultValue = "target/sweep-logs", description = "Node process logs (default: ${DEFAULT-VALUE}).")
    Path logDir;

    @Option(names = "--dry-run", description = "List the cells and how many are in the store; measure nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        LibraryLogging.quiet();
        GridSpec spec = spec();
        List<Cell> cells = SweepGrid.cells(spec);
        if (limitCells != null) {
            if (limitCells < 1) {
                throw new IllegalArgumentException("--limit-cells must be >= 1, was " + limitCells);
            }
            cells = cells.subList(0, Math.min(limitCells, cells.size()));
        }
        Path absoluteRoot = root.toAbsolutePath().normalize();
        ClosedLoop.Settings loop = new ClosedLoop.Settings(seconds(warmupSeconds), seconds(measureSeconds),
                minRequests, seconds(maxMeasureSeconds));
        List<String> nodeArgs = List.of("--lm", spec.generates() ? "bundled" : "none", "--int8-model", int8Model,
                "--metrics-port", "-1");
        Sweep.Settings settings = new Sweep.Settings(absoluteRoot, absoluteRoot.resolve(logDir), loop, tolerances,
                nodeArgs, rounds);
        try (ObservationStore history = ObservationStore.open(store.location())) {
            Sweep sweep = new Sweep(settings, history, System.err, Clock.systemUTC());
            if (dryRun) {
                cells.forEach(cell -> System.out.println((sweep.stored(cell) ? "stored   " : "to do    ")
                        + cell.label()));
                return 0;
            }
            sweep.run(cells);
        }
        return 0;
    }

    private GridSpec spec() {
        GridSpec spec = GridSpec.named(grid);
        if (profiles != null) {
            spec = spec.withProfiles(profiles.stream().map(NodeProfile::named).toList());
        }
        if (models != null) {
            spec = spec.withModels(new HashSet<>(models));
        }
        if (embeddingConcurrency != null) {
            spec = spec.withEmbeddingConcurrency(embeddingConcurrency);
        }
        if (generationConcurrency != null) {
            spec = spec.withGenerationConcurrency(generationConcurrency);
        }
        if (embeddingPlans != null) {
            spec = spec.withEmbeddingPlans(embeddingPlans.stream().map(Plan::parse).toList());
        }
        if (generationPlans != null) {
            spec = spec.withGenerationPlans(generationPlans.stream().map(Plan::parse).toList());
        }
        return spec;
    }

    private static Duration seconds(double value) {
        return Duration.ofNanos(Math.round(value * 1e9));
    }
}
