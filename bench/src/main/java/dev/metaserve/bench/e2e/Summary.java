package dev.metaserve.bench.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * What the measurements say, per task class and per phase. Everything compares mean latencies: a class's best fixed
 * plan is its fixed mode of lowest mean; the selector "matches the best fixed plan" on a class when its mean is at most
 * {@link #MATCH_TOLERANCE} above that; across classes, ratios are combined by their geometric mean, so every class
 * counts alike whatever its absolute latency.
 */
record Summary(List<ClassSummary> classes, List<PhaseSummary> phases) {
    /** How far above the best fixed plan's mean the selector's may be and still match it: 5%. */
    public static final double MATCH_TOLERANCE = 0.05;

    public Summary {
        classes = List.copyOf(classes);
        phases = List.copyOf(phases);
    }

    public static Summary of(List<ClassSamples> samples) {
        List<ClassSummary> classes = samples.stream().map(Summary::summarise).toList();
        Set<Phase> phases = new LinkedHashSet<>();
        classes.forEach(c -> phases.add(c.phase()));
        List<PhaseSummary> phaseSummaries = new ArrayList<>();
        for (Phase phase : phases) {
            phaseSummaries.add(summarise(phase, classes.stream().filter(c -> c.phase() == phase).toList()));
        }
        return new Summary(classes, phaseSummaries);
    }

    static ClassSummary summarise(ClassSamples samples) {
        Map<Mode, ModeStats> modes = new LinkedHashMap<>();
        samples.latenciesNanos().forEach((mode, latencies) -> modes.put(mode, ModeStats.of(latencies)));
        Mode bestFixed = null;
        for (Map.Entry<Mode, ModeStats> e : modes.entrySet()) {
            if (e.getKey().isFixed() && e.getValue().measured()
                    && (bestFixed == null || e.getValue().meanMs() < modes.get(bestFixed).meanMs())) {
                bestFixed = e.getKey();
            }
        }
        double selector = modes.getOrDefault(Mode.SELECTOR, ModeStats.NONE).meanMs();
        double selectorToBest = selector / modes.getOrDefault(bestFixed, ModeStats.NONE).meanMs();
        double randomToSelector = modes.getOrDefault(Mode.RANDOM, ModeStats.NONE).meanMs() / selector;
        return new ClassSummary(samples.taskClass(), samples.phase(), modes, bestFixed, selectorToBest,
                selectorToBest <= 1 + MATCH_TOLERANCE, randomToSelector);
    }

    static PhaseSummary summarise(Phase phase, List<ClassSummary> classes) {
        Set<Mode> modes = new LinkedHashSet<>();
        classes.forEach(c -> modes.addAll(c.modes().keySet()));
        Map<Mode, Double> ratios = new LinkedHashMap<>();
        Mode bestSingle = null;
        double bestSingleMean = Double.POSITIVE_INFINITY;
        for (Mode mode : modes) {
            ratios.put(mode, geometricMean(classes.stream().mapToDouble(c -> c.ratioToSelector(mode)).toArray()));
            double mean = geometricMean(classes.stream().mapToDouble(c -> c.mean(mode)).toArray());
            if (mode.isFixed() && mean < bestSingleMean) {
                bestSingle = mode;
                bestSingleMean = mean;
            }
        }
        double bestPerClass = geometricMean(classes.stream()
                .mapToDouble(c -> c.ratioToSelector(c.bestFixed())).toArray());
        int matched = (int) classes.stream().filter(ClassSummary::matchesBestFixed).count();
        return new PhaseSummary(phase, classes.size(), ratios, bestSingle, bestPerClass, matched);
    }

    /** The per-class best fixed plan's mean over the selector's, geometric mean over every class. */
    public double bestFixedPerClassToSelector() {
        return acrossClasses(c -> c.ratioToSelector(c.bestFixed()));
    }

    /** Classes where the selector matches its best fixed plan. */
    public long matchedClasses() {
        return classes.stream().filter(ClassSummary::matchesBestFixed).count();
    }

    /** The geometric mean of a ratio over every class of every phase (NaN when a class lacks it). */
    public double acrossClasses(ToDoubleFunction<ClassSummary> ratio) {
        return geometricMean(classes.stream().mapToDouble(ratio).toArray());
    }

    /** exp of the mean log; NaN when there are no values or any is NaN or not positive. */
    static double geometricMean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double logs = 0;
        for (double v : values) {
            if (!(v > 0) || Double.isInfinite(v)) {
                return Double.NaN;
            }
            logs += Math.log(v);
        }
        return Math.exp(logs / values.length);
    }
}
