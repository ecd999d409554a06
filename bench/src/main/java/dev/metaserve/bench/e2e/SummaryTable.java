package dev.metaserve.bench.e2e;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The summary for people: per class every mode's latency and the comparisons, then each phase and all classes. */
final class SummaryTable {
    private static final int CHOICES_SHOWN = 4;

    private SummaryTable() {}

    static String format(Summary summary, List<TaskClass> classes, Measurements measurements,
                         TextAgreement texts) {
        StringBuilder out = new StringBuilder();
        for (PhaseSummary phase : summary.phases()) {
            out.append(phase.phase().label()).append(" phase (").append(phase.phase().model()).append(")\n\n");
            for (ClassSummary c : summary.classes()) {
                if (c.phase() == phase.phase()) {
                    appendClass(out, c, describe(classes, c.taskClass()), measurements);
                }
            }
            appendPhase(out, phase);
        }
        if (summary.phases().size() > 1) {
            out.append(String.format(Locale.ROOT, "all %d classes: random / selector %s, best fixed per class /"
                            + " selector %s; the selector matches the best fixed plan on %d of them%n",
                    summary.classes().size(), ratio(summary.acrossClasses(c -> c.ratioToSelector(Mode.RANDOM))),
                    ratio(summary.bestFixedPerClassToSelector()), summary.matchedClasses()));
        }
        if (!texts.counts().isEmpty()) {
            out.append("generated texts differing from the first one of the same prompt: ")
                    .append(texts.counts().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey((a, b) -> a.name().compareTo(b.name())))
                            .map(e -> e.getKey().name() + " " + e.getValue().differing() + "/"
                                    + e.getValue().compared())
                            .collect(Collectors.joining(", ")))
                    .append('\n');
        }
        out.append("\nmeans and p50 over all measured requests of all rounds; vs selector = mean / selector's mean;"
                + " matches = selector's mean at most " + Math.round(Summary.MATCH_TOLERANCE * 100)
                + "% above the best fixed plan's; by round = the same ratio in each measured round (without settling"
                + " rounds, round 1 holds the selector's cold start).\n");
        return out.toString();
    }

    /** One line per class for the settling rounds, which the comparison above leaves out. */
    static String settling(Summary settled, int rounds) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nsettling (%d round%s before the measured"
                + " ones, not counted above; the selector's cold start among them): selector / best fixed%n", rounds,
                rounds == 1 ? "" : "s"));
        for (ClassSummary c : settled.classes()) {
            out.append(String.format(Locale.ROOT, "  %-30s %s (best fixed: %s)%n", c.taskClass(),
                    ratio(c.selectorToBestFixed()), c.bestFixed() == null ? "-" : c.bestFixed().plan()));
        }
        out.append(String.format(Locale.ROOT, "  all classes: best fixed per class / selector %s, matched on %d%n",
                ratio(settled.bestFixedPerClassToSelector()), settled.matchedClasses()));
        return out.toString();
    }

    private static void appendClass(StringBuilder out, ClassSummary c, String description,
                                    Measurements measurements) {
        out.append(c.taskClass()).append(": ").append(description).append('\n');
        out.append(String.format(Locale.ROOT, "  %-46s %9s %9s %9s %7s %12s%n", "mode", "mean ms", "p50 ms",
                "requests", "errors", "vs selector"));
        c.modes().forEach((mode, stats) -> out.append(String.format(Locale.ROOT,
                "  %-46s %9.2f %9.2f %9d %7d %12s%s%n", mode.name(), stats.meanMs(), stats.p50Ms(), stats.samples(),
                measurements.errors(c.taskClass(), mode), ratio(c.ratioToSelector(mode)),
                mode.equals(c.bestFixed()) ? "  best fixed" : "")));
        if (c.bestFixed() != null && c.modes().containsKey(Mode.SELECTOR)) {
            out.append(String.format(Locale.ROOT, "  selector / best fixed %s (%s)", ratio(c.selectorToBestFixed()),
                    c.matchesBestFixed() ? "matches" : "does not match"));
            if (c.modes().containsKey(Mode.RANDOM)) {
                out.append(", random / selector ").append(ratio(c.randomToSelector()));
            }
            out.append("; by round ").append(measurements.selectorRatioByRound(c.taskClass(), c.bestFixed()).stream()
                    .map(SummaryTable::ratio).collect(Collectors.joining(", ")));
            out.append('\n');
        }
        if (c.modes().containsKey(Mode.SELECTOR)) {
            Map<String, Integer> choices = measurements.choices(c.taskClass(), Mode.SELECTOR);
            Map<String, Double> means = measurements.choiceMeansMs(c.taskClass(), Mode.SELECTOR);
            out.append("  selector chose (requests, mean ms): ").append(choices.entrySet().stream().limit(CHOICES_SHOWN)
                    .map(e -> String.format(Locale.ROOT, "%s %d (%.0f)", e.getKey(), e.getValue(),
                            means.get(e.getKey())))
                    .collect(Collectors.joining(", ")))
                    .append(choices.size() > CHOICES_SHOWN ? ", " + (choices.size() - CHOICES_SHOWN) + " more" : "")
                    .append('\n');
        }
        for (Mode mode : c.modes().keySet()) {
            String error = measurements.firstError(c.taskClass(), mode);
            if (error != null) {
                out.append("  first error of ").append(mode.name()).append(": ").append(error).append('\n');
            }
        }
        out.append('\n');
    }

    private static void appendPhase(StringBuilder out, PhaseSummary phase) {
        out.append(String.format(Locale.ROOT, "%s phase, geometric mean over %d classes of mean / selector's mean:%n",
                phase.phase().label(), phase.classes()));
        phase.ratioToSelector().forEach((mode, r) -> out.append(String.format(Locale.ROOT, "  %-46s %s%s%n",
                mode.name(), ratio(r), mode.equals(phase.bestSingleFixed()) ? "  best single fixed plan" : "")));
        out.append(String.format(Locale.ROOT, "  %-46s %s%n", "best fixed plan of each class",
                ratio(phase.bestPerClassToSelector())));
        out.append(String.format(Locale.ROOT, "  best single fixed plan: %s; the selector matches the best fixed plan"
                        + " on %d of %d classes%n%n",
                phase.bestSingleFixed() == null ? "-" : phase.bestSingleFixed().plan(), phase.matchedClasses(),
                phase.classes()));
    }

    private static String describe(List<TaskClass> classes, String name) {
        return classes.stream().filter(c -> c.name().equals(name)).findFirst().map(TaskClass::description)
                .orElse("");
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }
}
