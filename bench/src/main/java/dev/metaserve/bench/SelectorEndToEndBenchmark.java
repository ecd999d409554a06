package dev.metaserve.bench;

import dev.metaserve.bench.e2e.Phase;
import dev.metaserve.bench.e2e.SelectorEndToEnd;
import dev.metaserve.bench.sweep.LibraryLogging;
import dev.metaserve.bench.sweep.NodeProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench selector-e2e}: the selector against every fixed plan and a random plan, end to end through the real
 * gateway, on one mixed workload, in interleaved rounds. Reads and checks the options; the run is
 * {@link SelectorEndToEnd}'s.
 */
@Command(name = "selector-e2e", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The selector end to end: a mixed workload (embedding classes, then generation classes, each"
                + " class's requests arriving at its own rate, all at once) through the real gateway and heterogeneous"
                + " nodes, in modes compared in one run: 'selector' (requests name no plan; the gateway's selector"
                + " chooses node and plan), 'fixed:<plan>' for every plan (routed least-loaded) and 'random' (a plan"
                + " drawn per request, seeded). Modes alternate within each round, their order reversed every other"
                + " round.",
                "Prints a table and writes JSON. Progress goes to stderr. Defaults take about 16 minutes."})
public final class SelectorEndToEndBenchmark implements Callable<Integer> {
    @Option(names = "--root", defaultValue = ".", description = "Project checkout with the built gateway and node (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds; each runs every mode once (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seconds", defaultValue = "15", description = "Measured seconds per mode and phase in each round (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3", description = "Unmeasured load before each of those windows (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--priming-seconds", defaultValue = "10",
            description = "Before round 1, unmeasured load of every mode for this long, so that every plan's batcher,"
                    + " model and KV buffers exist before anything is measured; 0 skips it (default: ${DEFAULT-VALUE}).")
    double primingSeconds;

    @Option(names = "--settling-rounds", defaultValue = "1",
            description = "Full rounds run before the measured ones and reported apart, not in the comparison: the"
                    + " first minutes after priming ran slower for every mode that met them (default:"
                    + " ${DEFAULT-VALUE}).")
    int settlingRounds;

    @Option(names = "--arrivals", defaultValue = "open",
            description = "open: each class's requests arrive at its rate (Poisson, the same times in every mode),"
                    + " answered or not, so a mode that serves one class faster does not load the others with more of"
                    + " it; closed: per class as many clients as its concurrency, each sending its next request when"
                    + " the last is answered (default: ${DEFAULT-VALUE}).")
    String arrivals;

    @Option(names = "--phases", split = ",", defaultValue = "embedding,generation",
            description = "Phases to run: embedding, generation (default: ${DEFAULT-VALUE}).")
    List<String> phases;

    @Option(names = "--classes", split = ",",
            description = "Only these task classes (names as in the table, e.g. emb-short-x1-c8) (default: all of the phases').")
    List<String> classes;

    @Option(names = "--modes", split = ";", defaultValue = "selector;fixed;random",
            description = "Modes, ';'-separated: selector, random, fixed (every plan) or fixed:<plan>, e.g."
                    + " 'selector;fixed:decoding=ngram(4,2)' (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--nodes", split = ",", defaultValue = "fast,single,far",
            description = "Node profiles, one node each, of the sweep's: fast, single, far, small-heap (default: ${DEFAULT-VALUE}).")
    List<String> nodes;

    @Option(names = "--int8-model", defaultValue = "anchor",
            description = "The nodes' INT8 twin (node option --int8-model): anchor, as in the sweep, or an ONNX file (default: ${DEFAULT-VALUE}).")
    String int8Model;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random mode's draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--selector-store", paramLabel = "DIR|none",
            description = "Directory for the selector's history (gateway setting gateway.selector.store), or 'none' for"
                    + " the cluster's own (selector-history beside the logs, kept from run to run)"
                    + " (default: a fresh temporary directory, so runs do not share a history).")
    String selectorStore;

    @Option(names = "--quality-tolerance", defaultValue = "0.02",
            description = "Quality loss the selector may accept (gateway.selector.quality-tolerance): 0.02 lets it use"
                    + " INT8 as the fixed INT8 plans do; the gateway's own default is 0 (default: ${DEFAULT-VALUE}).")
    double qualityTolerance;

    @Option(names = "--gateway-prop", paramLabel = "KEY=VALUE",
            description = "Another gateway setting, e.g. gateway.lease-ttl=5s; repeatable.")
    List<String> gatewayProps;

    @Option(names = "--log-dir", defaultValue = "target/bench-logs/selector-e2e", description = "Gateway and node logs (default: ${DEFAULT-VALUE}).")
    Path logDir;

    @Option(names = "--out", defaultValue = "bench/results/selector-e2e.json", description = "JSON result file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LibraryLogging.quiet();
        if (rounds < 1) {
            throw bad("--rounds must be at least 1, was " + rounds);
        }
        if (settlingRounds < 0) {
            throw bad("--settling-rounds must be at least 0, was " + settlingRounds);
        }
        if (!(seconds > 0) || !(warmupSeconds >= 0) || !(primingSeconds >= 0)) {
            throw bad("--seconds must be > 0, --warmup-seconds and --priming-seconds >= 0; were " + seconds + ", "
                    + warmupSeconds + ", " + primingSeconds);
        }
        if (!arrivals.equals("open") && !arrivals.equals("closed")) {
            throw bad("--arrivals must be open or closed, was '" + arrivals + "'");
        }
        List<String> props = new ArrayList<>();
        for (String prop : gatewayProps == null ? List.<String>of() : gatewayProps) {
            if (!prop.matches("[^=\\s]+=.*")) {
                throw bad("--gateway-prop '" + prop + "' is not KEY=VALUE");
            }
            props.add(prop);
        }
        Set<Phase> chosenPhases = phases();
        List<NodeProfile> profiles = profiles();
        boolean storeless = "none".equals(selectorStore);
        boolean temporaryStore = selectorStore == null;
        Path store = temporaryStore ? Files.createTempDirectory("selector-e2e-store-")
                : storeless ? null : Path.of(selectorStore).toAbsolutePath();
        if (store != null) {
            props.add(0, "gateway.selector.store=" + store);
        }
        if (!(qualityTolerance >= 0) || Double.isInfinite(qualityTolerance)) {
            throw bad("--quality-tolerance must be a number >= 0, was " + qualityTolerance);
        }
        props.add(0, "gateway.selector.quality-tolerance=" + qualityTolerance);
        Path absoluteRoot = root.toAbsolutePath().normalize();
        SelectorEndToEnd benchmark;
        try {
            benchmark = SelectorEndToEnd.prepare(new SelectorEndToEnd.Settings(absoluteRoot, chosenPhases, classes,
                    modes, profiles, int8Model, seed, settlingRounds, rounds, duration(seconds),
                    duration(warmupSeconds), duration(primingSeconds), arrivals.equals("open"), props,
                    absoluteRoot.resolve(logDir)),
                    System.err);
        } catch (IllegalArgumentException e) {
            if (temporaryStore) {
                Files.deleteIfExists(store);
            }
            throw bad(e.getMessage());
        }
        System.err.println(store == null ? "gateway.selector.store not set" : "selector history in " + store);
        benchmark.run(out);
        return 0;
    }

    private Set<Phase> phases() {
        Set<Phase> chosen = new LinkedHashSet<>();
        for (String phase : phases) {
            try {
                chosen.add(Phase.named(phase.strip()));
            } catch (IllegalArgumentException e) {
                throw bad("--phases: " + e.getMessage());
            }
        }
        return chosen;
    }

    private List<NodeProfile> profiles() {
        try {
            return nodes.stream().map(String::strip).map(NodeProfile::named).toList();
        } catch (IllegalArgumentException e) {
            throw bad("--nodes: " + e.getMessage());
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static Duration duration(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
