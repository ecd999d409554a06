package dev.metaserve.bench.sweep;

import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Measurement;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.ObservationStore;
import dev.metaserve.selector.store.Source;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs cells and writes what they measured to the store. Each measurement is stored as one observation per objective
 * (latency, throughput) and per quality tolerance asked for: the same numbers under each, since what a cell measures
 * does not depend on what the task wants; the task profile, which the selector keys on, does. A cell whose
 * observations are all in the store already is skipped, so a sweep that was stopped continues where it was when run
 * again; a cell's observations are appended in one transaction, so a cell is stored whole or not at all. One node
 * process runs at a time, so that measurements do not share the machine with another node.
 */
final class Sweep {
    /**
     * @param projectRoot the checkout with the built node program
     * @param logDir      where node processes write their output
     * @param loop        warm-up and measurement of each cell
     * @param tolerances  quality tolerances each measurement is stored under
     * @param nodeArgs    options every node gets (language model, INT8 twin)
     */
    record Settings(Path projectRoot, Path logDir, ClosedLoop.Settings loop, List<Double> tolerances,
                    List<String> nodeArgs) {
        Settings {
            tolerances = List.copyOf(tolerances);
            nodeArgs = List.copyOf(nodeArgs);
            if (tolerances.isEmpty()) {
                throw new IllegalArgumentException("at least one quality tolerance is needed");
            }
        }
    }

    /** A cell to measure and the (objective, tolerance) observations of it the store lacks. */
    private record Pending(Cell cell, List<Key> missing) {}

    private record Key(Objective objective, double tolerance) {}

    private final Settings settings;
    private final ObservationStore store;
    private final PrintStream log;
    private final Clock clock;

    Sweep(Settings settings, ObservationStore store, PrintStream log, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    /** Measures the cells the store lacks; returns how many were measured. */
    int run(List<Cell> cells) throws Exception {
        List<Pending> pending = new ArrayList<>();
        for (Cell cell : cells) {
            List<Key> missing = missing(cell);
            if (!missing.isEmpty()) {
                pending.add(new Pending(cell, missing));
            }
        }
        Map<NodeProfile, List<Pending>> byProfile = new LinkedHashMap<>();
        pending.forEach(p -> byProfile.computeIfAbsent(p.cell().profile(), k -> new ArrayList<>()).add(p));
        SweepProgress progress = new SweepProgress(log, cells.size(), cells.size() - pending.size(), settings.loop());
        progress.started(byProfile.size());
        if (pending.isEmpty()) {
            return 0;
        }
        try (DescriptorRegistry registry = DescriptorRegistry.start()) {
            for (Map.Entry<NodeProfile, List<Pending>> group : byProfile.entrySet()) {
                measureOn(group.getKey(), group.getValue(), registry, progress);
            }
        }
        progress.finished();
        return pending.size();
    }

    /** Whether every observation of this cell is stored: what {@link #run} skips. */
    boolean stored(Cell cell) {
        return missing(cell).isEmpty();
    }

    private List<Key> missing(Cell cell) {
        HardwareProfile hardware = cell.profile().hardware("");
        List<Key> missing = new ArrayList<>();
        for (Objective objective : Objective.values()) {
            for (double tolerance : settings.tolerances()) {
                if (!store.contains(cell.task(objective, tolerance), cell.plan(), hardware, Source.SWEEP)) {
                    missing.add(new Key(objective, tolerance));
                }
            }
        }
        return missing;
    }

    private void measureOn(NodeProfile profile, List<Pending> cells, DescriptorRegistry registry,
                           SweepProgress progress) throws Exception {
        progress.nodeStarting(profile);
        try (ProfiledNode node = ProfiledNode.start(settings.projectRoot(), profile, settings.nodeArgs(), registry,
                settings.logDir())) {
            // a sweep stopped with Ctrl-C or SIGTERM must not leave its node running
            Thread stopNode = new Thread(() -> {
                try {
                    node.process().kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sweep-node-stopper");
            Runtime.getRuntime().addShutdownHook(stopNode);
            try {
                progress.nodeReady(node);
                CellMeasurer measurer = new CellMeasurer(node, settings.loop());
                for (Pending pending : cells) {
                    progress.cellStarting(pending.cell());
                    long start = System.nanoTime();
                    Measurement measurement;
                    try {
                        measurement = measurer.measure(pending.cell());
                    } catch (Exception e) {
                        throw new IllegalStateException("cell " + pending.cell().label() + " failed: "
                                + e.getMessage() + " (node log: " + node.process().log() + ")", e);
                    }
                    store.appendAll(observations(pending, node.hardware(), measurement));
                    progress.cellDone(measurement, (System.nanoTime() - start) / 1e9);
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopNode);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or will run; nothing to undo
                }
            }
        }
    }

    private List<Observation> observations(Pending pending, HardwareProfile hardware, Measurement measurement) {
        Cell cell = pending.cell();
        Instant observedAt = clock.instant();
        List<Observation> observations = new ArrayList<>();
        for (Key key : pending.missing()) {
            observations.add(Observation.of(cell.task(key.objective(), key.tolerance()), cell.plan(), hardware,
                    measurement, observedAt, Source.SWEEP));
        }
        return observations;
    }
}
