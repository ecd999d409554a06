package dev.metaserve.lmtrain.train;

import java.io.PrintStream;
import java.time.Duration;

/** One self-overwriting line on stderr: step, loss, tokens per second, ETA. */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int totalSteps;

    public ProgressBar(PrintStream out, int totalSteps) {
        this.out = out;
        this.totalSteps = totalSteps;
    }

    /**
     * @param eta time left, the smaller of the steps left at the current pace and the time bound left
     */
    public void update(int step, double loss, double tokensPerSecond, Duration eta) {
        int filled = (int) ((long) WIDTH * step / totalSteps);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        out.printf("\r[%s] step %d/%d  loss %.4f  %.0f tok/s  ETA %s   ", bar, step, totalSteps, loss, tokensPerSecond,
                format(eta));
        out.flush();
    }

    public void finish() {
        out.println();
    }

    static String format(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
