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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs cells and writes what they measured to the store. Each measurement is stored as one observation per objective
 * (latency, throughput) and per quality tolerance asked for: the same numbers under each, since what a cell measures
 * does not depend on what the task wants; the task profile, which the selector keys on, does.
 *
 * <p>Every cell is measured {@code rounds} times, each measurement its own observations. The order interleaves, so
 * that whatever else the machine does at some moment spreads over nodes and plans instead of biasing one: round by
 * round; within a round task by task (workload and concurrency, in grid order); for each task node profile by node
 * profile (their order rotated per task and round); on one node the plans of the task back to back, their order
 * rotated per round. Every node process needed is started once, on first use, and kept running (idle) until the
 * sweep ends; cells are measured one at a time, so only one node is ever under load.
 *
 * <p>A cell is done when each of its (objective, tolerance) keys has {@code rounds} sweep observations in the store;
 * the rounds of a cell still missing are measured, so a sweep that was stopped continues where it was when run again.
 * A measurement's observations are appended in one transaction, so a measurement is stored whole or not at all.
 */
final class Sweep {
    /**
     * @param projectRoot the checkout with the built node program
     * @param logDir      where node processes write their output
     * @param loop        warm-up and measurement of each cell
     * @param tolerances  quality tolerances each measurement is stored under
     * @param nodeArgs    options every node gets (language model, INT8 twin)
     * @param rounds      measurements of each cell, each stored as its own observations
     */
    record Settings(Path projectRoot, Path logDir, ClosedLoop.Settings loop, List<Double> tolerances,
                    List<String> nodeArgs, int rounds) {
        Settings {
            tolerances = List.copyOf(tolerances);
            nodeArgs = List.copyOf(nodeArgs);
            if (tolerances.isEmpty()) {
                throw new IllegalArgumentException("at least one quality tolerance is needed");
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
            }
        }
    }

    /**
     * A cell with measurements to make: how many sweep observations each (objective, tolerance) key has already.
     * Measurement {@code j} (0-based, of those still to make) is stored under the keys with fewer than
     * {@code rounds - j} observations, so every key ends with {@code rounds}.
     */
    private record Pending(Cell cell, Map<Key, Long> stored) {
        long doneRounds() {
            return stored.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        }
    }

    private record Key(Objective objective, double tolerance) {}

    /** A task independent of node and plan: what the plans compared by a selector share. */
    private record Task(Workload workload, int concurrency) {}

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

    /** Measures what the store lacks of every cell's rounds; returns how many measurements were made. */
    int run(List<Cell> cells) throws Exception {
        int rounds = settings.rounds();
        // task -> profile -> plans' cells, in grid order
        Map<Task, Map<NodeProfile, List<Pending>>> byTask = new LinkedHashMap<>();
        Set<NodeProfile> profiles = new LinkedHashSet<>();
        int alreadyStored = 0;
        int toMeasure = 0;
        for (Cell cell : cells) {
            Pending pending = new Pending(cell, storedCounts(cell));
            int done = (int) Math.min(rounds, pending.doneRounds());
            alreadyStored += done;
            if (done < rounds) {
                toMeasure += rounds - done;
                profiles.add(cell.profile());
                byTask.computeIfAbsent(new Task(cell.workload(), cell.concurrency()), k -> new LinkedHashMap<>())
                        .computeIfAbsent(cell.profile(), k -> new ArrayList<>()).add(pending);
            }
        }
        SweepProgress progress = new SweepProgress(log, cells.size(), rounds, alreadyStored, settings.loop());
        progress.started(profiles.size());
        if (toMeasure == 0) {
            return 0;
        }
        Map<Pending, Integer> measuredSoFar = new IdentityHashMap<>();
        Map<NodeProfile, Running> nodes = new LinkedHashMap<>();
        // a sweep stopped with Ctrl-C or SIGTERM must not leave its nodes running
        Thread stopNodes = new Thread(() -> {
            synchronized (nodes) {
                for (Running running : nodes.values()) {
                    try {
                        running.node().process().kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }, "sweep-node-stopper");
        Runtime.getRuntime().addShutdownHook(stopNodes);
        try (DescriptorRegistry registry = DescriptorRegistry.start()) {
            try {
                int taskIndex = 0;
                for (int round = 0; round < rounds; round++) {
                    for (Map<NodeProfile, List<Pending>> onProfiles : byTask.values()) {
                        List<NodeProfile> order = rotated(new ArrayList<>(onProfiles.keySet()), taskIndex + round);
                        taskIndex++;
                        for (NodeProfile profile : order) {
                            List<Pending> due = new ArrayList<>();
                            for (Pending pending : rotated(onProfiles.get(profile), round)) {
                                if (round < rounds - pending.doneRounds()) {
                                    due.add(pending);
                                }
                            }
                            if (due.isEmpty()) {
                                continue;
                            }
                            Running running;
                            synchronized (nodes) {
                                running = nodes.get(profile);
                            }
                            if (running == null) {
                                running = start(profile, registry, progress);
                                synchronized (nodes) {
                                    nodes.put(profile, running);
                                }
                            }
                            for (Pending pending : due) {
                                int j = measuredSoFar.merge(pending, 1, Integer::sum) - 1;
                                measure(running, pending, j, round, progress);
                            }
                        }
                    }
                }
            } finally {
                synchronized (nodes) {
                    for (Running running : nodes.values()) {
                        try {
                            running.node().close();
                        } catch (RuntimeException e) {
                            log.println("could not stop node " + running.node().profile().nodeId() + ": " + e);
                        }
                    }
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(stopNodes);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or will run; nothing to undo
                }
            }
        }
        progress.finished();
        return toMeasure;
    }

    /** Whether every round of this cell is stored: what {@link #run} skips. */
    boolean stored(Cell cell) {
        return new Pending(cell, storedCounts(cell)).doneRounds() >= settings.rounds();
    }

    private record Running(ProfiledNode node, CellMeasurer measurer) {}

    private Map<Key, Long> storedCounts(Cell cell) {
        HardwareProfile hardware = cell.profile().hardware("");
        Map<Key, Long> stored = new LinkedHashMap<>();
        for (Objective objective : Objective.values()) {
            for (double tolerance : settings.tolerances()) {
                stored.put(new Key(objective, tolerance),
                        store.count(cell.task(objective, tolerance), cell.plan(), hardware, Source.SWEEP));
            }
        }
        return stored;
    }

    private static <T> List<T> rotated(List<T> list, int by) {
        List<T> copy = new ArrayList<>(list);
        if (!copy.isEmpty()) {
            Collections.rotate(copy, -(by % copy.size()));
        }
        return copy;
    }

    private Running start(NodeProfile profile, DescriptorRegistry registry, SweepProgress progress)
            throws Exception {
        progress.nodeStarting(profile);
        ProfiledNode node = ProfiledNode.start(settings.projectRoot(), profile, settings.nodeArgs(), registry,
                settings.logDir());
        progress.nodeReady(node);
        return new Running(node, new CellMeasurer(node, settings.loop()));
    }

    private void measure(Running running, Pending pending, int j, int round, SweepProgress progress) {
        progress.cellStarting(pending.cell(), round);
        long start = System.nanoTime();
        Measurement measurement;
        try {
            measurement = running.measurer().measure(pending.cell());
        } catch (Exception e) {
            throw new IllegalStateException("cell " + pending.cell().label() + " failed: " + e.getMessage()
                    + " (node log: " + running.node().process().log() + ")", e);
        }
        store.appendAll(observations(pending, j, running.node().hardware(), measurement));
        progress.cellDone(measurement, (System.nanoTime() - start) / 1e9);
    }

    private List<Observation> observations(Pending pending, int j, HardwareProfile hardware, Measurement measurement) {
        Cell cell = pending.cell();
        Instant observedAt = clock.instant();
        List<Observation> observations = new ArrayList<>();
        for (Map.Entry<Key, Long> stored : pending.stored().entrySet()) {
            if (stored.getValue() >= settings.rounds() - j) {
                continue;
            }
            Key key = stored.getKey();
            observations.add(Observation.of(cell.task(key.objective(), key.tolerance()), cell.plan(), hardware,
                    measurement, observedAt, Source.SWEEP));
        }
        return observations;
    }
}
