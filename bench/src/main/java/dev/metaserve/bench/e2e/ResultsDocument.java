package dev.metaserve.bench.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON result: every class with every mode's statistics (all rounds and each round), its choices and failures, the
 * comparisons, the phases and all classes together, and the generated-text check. Numbers that do not exist (a ratio
 * to a mode not run) are null.
 */
final class ResultsDocument {
    private ResultsDocument() {}

    /** Adds the results to {@code document}, which already holds the benchmark's name, time, machine and setup. */
    static void fill(Map<String, Object> document, Summary summary, Measurements measurements, TextAgreement texts) {
        List<Map<String, Object>> classes = new ArrayList<>();
        for (ClassSummary c : summary.classes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.taskClass());
            row.put("phase", c.phase().label());
            row.put("bestFixed", c.bestFixed() == null ? null : c.bestFixed().plan());
            row.put("selectorToBestFixed", number(c.selectorToBestFixed()));
            row.put("matchesBestFixed", c.matchesBestFixed());
            if (c.bestFixed() != null && c.modes().containsKey(Mode.SELECTOR)) {
                row.put("selectorToBestFixedByRound", measurements.selectorRatioByRound(c.taskClass(), c.bestFixed())
                        .stream().map(ResultsDocument::number).toList());
            }
            row.put("randomToSelector", number(c.randomToSelector()));
            List<Map<String, Object>> modes = new ArrayList<>();
            c.modes().forEach((mode, stats) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mode", mode.name());
                m.putAll(stats(stats));
                m.put("ratioToSelector", number(c.ratioToSelector(mode)));
                m.put("errors", measurements.errors(c.taskClass(), mode));
                m.put("firstError", measurements.firstError(c.taskClass(), mode));
                List<ModeStats> rounds = measurements.rounds(c.taskClass(), mode);
                List<Map<String, Integer>> roundChoices = measurements.choicesByRound(c.taskClass(), mode);
                List<Map<String, Object>> byRound = new ArrayList<>();
                for (int r = 0; r < rounds.size(); r++) {
                    Map<String, Object> round = stats(rounds.get(r));
                    round.put("choices", roundChoices.get(r));
                    byRound.add(round);
                }
                m.put("rounds", byRound);
                m.put("choices", measurements.choices(c.taskClass(), mode));
                Map<String, Object> choiceMeans = new LinkedHashMap<>();
                measurements.choiceMeansMs(c.taskClass(), mode).forEach((k, v) -> choiceMeans.put(k, number(v)));
                m.put("choiceMeanMs", choiceMeans);
                modes.add(m);
            });
            row.put("modes", modes);
            classes.add(row);
        }
        document.put("classes", classes);

        List<Map<String, Object>> phases = new ArrayList<>();
        for (PhaseSummary p : summary.phases()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("phase", p.phase().label());
            row.put("classes", p.classes());
            Map<String, Object> ratios = new LinkedHashMap<>();
            p.ratioToSelector().forEach((mode, r) -> ratios.put(mode.name(), number(r)));
            row.put("geometricMeanRatioToSelector", ratios);
            row.put("bestSingleFixed", p.bestSingleFixed() == null ? null : p.bestSingleFixed().plan());
            row.put("bestSingleFixedToSelector", p.bestSingleFixed() == null ? null
                    : number(p.ratioToSelector().get(p.bestSingleFixed())));
            row.put("bestFixedPerClassToSelector", number(p.bestPerClassToSelector()));
            row.put("matchedClasses", p.matchedClasses());
            phases.add(row);
        }
        document.put("phases", phases);

        Map<String, Object> all = new LinkedHashMap<>();
        all.put("classes", summary.classes().size());
        all.put("randomToSelector", number(summary.acrossClasses(c -> c.ratioToSelector(Mode.RANDOM))));
        all.put("bestFixedPerClassToSelector", number(summary.bestFixedPerClassToSelector()));
        all.put("matchedClasses", summary.matchedClasses());
        document.put("allClasses", all);

        Map<String, Object> generated = new LinkedHashMap<>();
        texts.counts().forEach((mode, count) -> generated.put(mode.name(),
                Map.of("compared", count.compared(), "differing", count.differing())));
        document.put("generatedTextsDifferingFromFirst", generated);
    }

    /** The settling rounds, apart: per class the selector against its best fixed plan there, and every mode. */
    static Map<String, Object> settling(Summary settled, Measurements measurements) {
        List<Map<String, Object>> classes = new ArrayList<>();
        for (ClassSummary c : settled.classes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.taskClass());
            row.put("bestFixed", c.bestFixed() == null ? null : c.bestFixed().plan());
            row.put("selectorToBestFixed", number(c.selectorToBestFixed()));
            Map<String, Object> modes = new LinkedHashMap<>();
            c.modes().forEach((mode, stats) -> {
                Map<String, Object> m = stats(stats);
                m.put("choices", measurements.choices(c.taskClass(), mode));
                modes.put(mode.name(), m);
            });
            row.put("modes", modes);
            classes.add(row);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("bestFixedPerClassToSelector", number(settled.bestFixedPerClassToSelector()));
        all.put("matchedClasses", settled.matchedClasses());
        all.put("classes", classes);
        return all;
    }

    private static Map<String, Object> stats(ModeStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", s.samples());
        m.put("meanMs", number(s.meanMs()));
        m.put("p50Ms", number(s.p50Ms()));
        m.put("p90Ms", number(s.p90Ms()));
        m.put("p99Ms", number(s.p99Ms()));
        return m;
    }

    static Double number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }
}
