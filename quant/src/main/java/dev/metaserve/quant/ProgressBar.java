package dev.metaserve.quant;

import dev.metaserve.quant.calibration.StatisticsCollector;
import java.io.PrintStream;

/** A one-line text progress bar, redrawn in place with a carriage return, for calibration on stderr. */
final class ProgressBar implements StatisticsCollector.Progress {
    private static final int WIDTH = 40;

    private final PrintStream out;
    private final String label;
    private int lastDrawn = -1;

    ProgressBar(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public void update(int done, int total) {
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        if (filled == lastDrawn && done != total) {
            return;
        }
        lastDrawn = filled;
        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total);
        if (done == total) {
            out.println();
        }
        out.flush();
    }
}
