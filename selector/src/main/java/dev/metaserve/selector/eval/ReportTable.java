package dev.metaserve.selector.eval;

import java.util.List;
import java.util.Locale;

/** The report as text for a terminal: the methods table, then who wins where. */
public final class ReportTable {
    private ReportTable() {}

    public static String format(EvaluationReport report, int winRows) {
        StringBuilder s = new StringBuilder();
        EvaluationReport.Data d = report.data();
        s.append(String.format(Locale.ROOT, "%d observations, %d problems in %d cells (folds), %d candidates;"
                + " %d profiles without a feasible candidate left out%n", d.observations(), d.problems(), d.cells(),
                d.candidates(), d.withoutFeasible()));
        s.append(String.format(Locale.ROOT, "%n%-22s %8s %9s %10s %10s %10s %9s %10s %9s %9s%n", "method",
                "problems", "accuracy", "mean regr", "p90 regr", "within 5%", "clear acc", "violating", "train s",
                "cold us"));
        for (MethodResult m : report.methods()) {
            row(s, m);
        }
        if (!report.methods().isEmpty()) {
            s.append(String.format(Locale.ROOT, "(clear acc: top-1 on the %.1f%% of problems whose runner-up is more"
                    + " than 5%% behind the best)%n", 100 * report.methods().get(0).clearShare()));
        }
        MethodResult repeat = report.repeatMeasurement();
        if (repeat != null) {
            s.append(String.format(Locale.ROOT, "%nthe measurements against themselves (best of the earlier half of"
                    + " the rounds of %d problems scored on the later half):%n", repeat.problems()));
            row(s, repeat);
        }
        MethodResult resampled = report.resampledLabels();
        if (resampled != null) {
            s.append(String.format(Locale.ROOT, "the labels against draws of their own rounds (about how often a"
                    + " label is the true best; %d problems):%n", resampled.problems()));
            row(s, resampled);
        }
        s.append(String.format(Locale.ROOT, "%nwho wins: %d candidates are best somewhere; the most frequent winner"
                + " is best on %.1f%% of problems; the runner-up is within 2%% of the best on %.1f%% of problems,"
                + " within 5%% on %.1f%%%n", d.distinctWinners(), 100 * d.topWinnerShare(),
                100 * d.runnerUpWithin2Percent(), 100 * d.runnerUpWithin5Percent()));
        List<WinTable.Row> wins = report.wins();
        for (int i = 0; i < Math.min(winRows, wins.size()); i++) {
            WinTable.Row r = wins.get(i);
            s.append(String.format(Locale.ROOT, "  best on %4d of %4d  %s%n", r.bestOn(), r.measuredOn(),
                    r.candidate()));
        }
        if (wins.size() > winRows) {
            s.append("  ... ").append(wins.size() - winRows).append(" more in the JSON\n");
        }
        return s.toString();
    }

    private static void row(StringBuilder s, MethodResult m) {
        s.append(String.format(Locale.ROOT, "%-22s %8d %9.3f %9.1f%% %9.1f%% %9.1f%% %9.3f %9.1f%% %9.1f %9.1f%n",
                m.method(), m.problems(), m.accuracy(), 100 * m.meanRegret(), 100 * m.p90Regret(),
                100 * m.nearBest(), m.clearAccuracy(), 100 * m.toleranceViolations(), m.trainSeconds(),
                m.chooseMicros()));
    }
}
