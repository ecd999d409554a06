package dev.metaserve.bench.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** A {@link MatchUncertainty.Verdict} for people (a table) and for the JSON result. */
final class VerdictTable {
    private VerdictTable() {}

    /** @param runs how many runs the rounds came from */
    static String format(MatchUncertainty.Verdict verdict, int runs) {
        int rounds = verdict.classes().get(0).rounds();
        int coverage = (int) Math.round(MatchUncertainty.COVERAGE * 100);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nhow sure: %d measured round%s%s, %d"
                        + " bootstraps drawing %s (the best fixed plan chosen again in each)%n", rounds,
                rounds == 1 ? "" : "s", runs > 1 ? " of " + runs + " runs" : "", verdict.draws(),
                runs > 1 ? "runs, then whole rounds within each" : "whole rounds"));
        out.append(String.format(Locale.ROOT, "  %-30s %-46s %10s %15s %9s%n", "class", "best fixed", "sel / best",
                coverage + "% interval", "matches"));
        for (MatchUncertainty.ClassVerdict c : verdict.classes()) {
            out.append(String.format(Locale.ROOT, "  %-30s %-46s %10s %15s %8.0f%%%n", c.taskClass(),
                    c.bestFixed() == null ? "-" : c.bestFixed().plan(), SummaryTable.ratio(c.selectorToBestFixed()),
                    SummaryTable.ratio(c.low()) + "-" + SummaryTable.ratio(c.high()), c.matchShare() * 100));
        }
        out.append(String.format(Locale.ROOT, "  best fixed per class / selector %s (%d%% interval %s-%s)%n",
                SummaryTable.ratio(verdict.bestFixedPerClassToSelector()), coverage,
                SummaryTable.ratio(verdict.low()), SummaryTable.ratio(verdict.high())));
        out.append(String.format(Locale.ROOT, "  share of draws in which the selector matches on every class %.0f%%,"
                        + " beats the per-class best overall %.0f%%, both (the aim) %.0f%%%n",
                verdict.allMatchShare() * 100, verdict.beatsShare() * 100, verdict.aimShare() * 100));
        if (!verdict.roundAgreement().isEmpty()) {
            StringJoiner phases = new StringJoiner(", ");
            verdict.roundAgreement().forEach((phase, r) ->
                    phases.add(String.format(Locale.ROOT, "%s %.2f", phase.label(), r)));
            out.append(String.format(Locale.ROOT, "  classes of a phase share a round's luck (mean pairwise correlation"
                    + " of by-round ln(selector / best fixed)): %s%n", phases));
        }
        return out.toString();
    }

    static Map<String, Object> json(MatchUncertainty.Verdict verdict) {
        List<Map<String, Object>> classes = new ArrayList<>();
        for (MatchUncertainty.ClassVerdict c : verdict.classes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.taskClass());
            row.put("phase", c.phase().label());
            row.put("rounds", c.rounds());
            row.put("bestFixed", c.bestFixed() == null ? null : c.bestFixed().plan());
            row.put("selectorToBestFixed", ResultsDocument.number(c.selectorToBestFixed()));
            row.put("low", ResultsDocument.number(c.low()));
            row.put("high", ResultsDocument.number(c.high()));
            row.put("matchShare", c.matchShare());
            classes.add(row);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("coverage", MatchUncertainty.COVERAGE);
        all.put("draws", verdict.draws());
        all.put("classes", classes);
        all.put("bestFixedPerClassToSelector", ResultsDocument.number(verdict.bestFixedPerClassToSelector()));
        all.put("low", ResultsDocument.number(verdict.low()));
        all.put("high", ResultsDocument.number(verdict.high()));
        all.put("allMatchShare", verdict.allMatchShare());
        all.put("beatsShare", verdict.beatsShare());
        all.put("aimShare", verdict.aimShare());
        Map<String, Object> agreement = new LinkedHashMap<>();
        verdict.roundAgreement().forEach((phase, r) -> agreement.put(phase.label(), r));
        all.put("roundAgreement", agreement);
        return all;
    }
}
