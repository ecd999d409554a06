package dev.metaserve.bench.sweep;

import dev.metaserve.selector.store.Measurement;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on stderr: measurements (cells x rounds) done of all (those found in the store count as done), the estimated time left from the
 * pace so far (node starts and references included), the current cell and what it measured.
 */
final class SweepProgress {
    /** Per-cell cost, beyond warm-up and measurement, used until a cell has been timed: references, node starts. */
    private static final double OVERHEAD_SECONDS_PER_CELL = 0.8;

    private final PrintStream out;
    private final int cells;
    private final int rounds;
    private final int total;
    private final double nominalSecondsPerCell;
    private int done;
    private int measured;
    private long measuringSinceNanos;

    SweepProgress(PrintStream out, int cells, int rounds, int alreadyStored, ClosedLoop.Settings loop) {
        this.out = out;
        this.cells = cells;
        this.rounds = rounds;
        this.total = cells * rounds;
        this.done = alreadyStored;
        this.nominalSecondsPerCell = loop.warmup().toMillis() / 1e3 + loop.measure().toMillis() / 1e3
                + OVERHEAD_SECONDS_PER_CELL;
    }

    void started(int profiles) {
        int left = total - done;
        if (left == 0) {
            out.println("sweep: all " + cells + " cells x " + rounds + " rounds are in the store already;"
                    + " nothing to measure");
            return;
        }
        out.printf(Locale.ROOT, "sweep: %d cells x %d rounds = %d measurements, %d already in the store, %d to"
                        + " measure on %d node profile%s; estimate %s%n", cells, rounds, total, done, left, profiles, profiles == 1 ? "" : "s",
                duration(left * nominalSecondsPerCell + profiles * 10.0));
        measuringSinceNanos = System.nanoTime();
    }

    void nodeStarting(NodeProfile profile) {
        out.println("starting node " + profile.summary());
    }

    void nodeReady(ProfiledNode node) {
        out.println("node " + node.profile().nodeId() + " ready: " + node.hardware().description());
    }

    void cellStarting(Cell cell, int round) {
        out.printf(Locale.ROOT, "[%d/%d %.1f%% ETA %s] round %d: %s ", done + 1, total, 100.0 * done / total, eta(),
                round + 1, cell.label());
        out.flush();
    }

    void cellDone(Measurement m, double seconds) {
        done++;
        measured++;
        out.printf(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, %.1f req/s%s, quality %.6f, %d samples (%.1f s)%n",
                m.latencyP50Ms(), m.latencyP99Ms(), m.throughputPerSecond(),
                m.tokensPerSecond() > 0 ? String.format(Locale.ROOT, ", %.0f tokens/s", m.tokensPerSecond()) : "",
                m.qualityDelta(), m.sampleCount(), seconds);
    }

    void finished() {
        out.printf(Locale.ROOT, "sweep: done, %d measurements in %s; all %d cells x %d rounds are in the store%n",
                measured, duration((System.nanoTime() - measuringSinceNanos) / 1e9), cells, rounds);
    }

    private String eta() {
        double perCell = measured == 0 ? nominalSecondsPerCell
                : (System.nanoTime() - measuringSinceNanos) / 1e9 / measured;
        return duration((total - done) * perCell);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : s + "s";
    }
}
