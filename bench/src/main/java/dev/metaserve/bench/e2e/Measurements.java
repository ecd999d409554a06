package dev.metaserve.bench.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What every run recorded, per task class and mode, round by round: latencies, which node and plan served the
 * requests (as {@code <node> <plan>}, the node by its profile name) and how fast each was, and failures.
 */
final class Measurements {
    private record Key(String taskClass, Mode mode) {}

    /** One (class, mode): its rounds' latencies, its choices, its failures. */
    private static final class Entry {
        final List<long[]> rounds = new ArrayList<>();
        final List<Map<String, Integer>> roundChoices = new ArrayList<>();
        final Map<String, Integer> choices = new TreeMap<>();
        final Map<String, Double> choiceMillis = new TreeMap<>();
        int errors;
        String firstError;
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final UnaryOperator<String> nodeNames;

    /** @param nodeNames a node id to the name shown for it */
    Measurements(UnaryOperator<String> nodeNames) {
        this.nodeNames = nodeNames;
    }

    void add(String taskClass, Mode mode, MixedLoad.ClassRun run) {
        Entry entry = entries.computeIfAbsent(new Key(taskClass, mode), k -> new Entry());
        entry.rounds.add(run.latenciesNanos());
        Map<String, Integer> roundChoices = new TreeMap<>();
        entry.roundChoices.add(roundChoices);
        for (MixedLoad.Completion c : run.completions()) {
            String choice = nodeNames.apply(c.served().node()) + " " + c.served().plan();
            entry.choices.merge(choice, 1, Integer::sum);
            roundChoices.merge(choice, 1, Integer::sum);
            entry.choiceMillis.merge(choice, c.latencyNanos() / 1e6, Double::sum);
        }
        entry.errors += run.errors();
        if (entry.firstError == null) {
            entry.firstError = run.firstError();
        }
    }

    /** The class's latencies per mode, rounds pooled, modes in the order first measured. */
    ClassSamples samples(TaskClass taskClass) {
        Map<Mode, long[]> byMode = new LinkedHashMap<>();
        entries.forEach((key, entry) -> {
            if (key.taskClass().equals(taskClass.name())) {
                byMode.put(key.mode(), entry.rounds.stream().flatMapToLong(Arrays::stream).toArray());
            }
        });
        return new ClassSamples(taskClass.name(), taskClass.phase(), byMode);
    }

    /** The class's rounds per mode as totals, in the order first measured: what {@link MatchUncertainty} draws. */
    ClassRounds classRounds(TaskClass taskClass) {
        Map<Mode, List<RoundTotal>> byMode = new LinkedHashMap<>();
        entries.forEach((key, entry) -> {
            if (key.taskClass().equals(taskClass.name())) {
                byMode.put(key.mode(), entry.rounds.stream().map(RoundTotal::of).toList());
            }
        });
        return new ClassRounds(taskClass.name(), taskClass.phase(), byMode);
    }

    /** Each round's statistics, in the order run. */
    List<ModeStats> rounds(String taskClass, Mode mode) {
        return entry(taskClass, mode).rounds.stream().map(ModeStats::of).toList();
    }

    /**
     * Per round, the selector's mean over the mode's mean (NaN for a round where either measured nothing); without
     * settling rounds the first holds the selector's cold start.
     */
    List<Double> selectorRatioByRound(String taskClass, Mode mode) {
        List<ModeStats> selector = rounds(taskClass, Mode.SELECTOR);
        List<ModeStats> other = rounds(taskClass, mode);
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < Math.min(selector.size(), other.size()); r++) {
            ratios.add(selector.get(r).meanMs() / other.get(r).meanMs());
        }
        return ratios;
    }

    /** How often each {@code <node> <plan>} served a measured request, most frequent first. */
    Map<String, Integer> choices(String taskClass, Mode mode) {
        return mostFrequentFirst(entry(taskClass, mode).choices);
    }

    /** As {@link #choices}, per round, in the order run: where a round that went wrong sent its requests. */
    List<Map<String, Integer>> choicesByRound(String taskClass, Mode mode) {
        return entry(taskClass, mode).roundChoices.stream().map(Measurements::mostFrequentFirst).toList();
    }

    private static Map<String, Integer> mostFrequentFirst(Map<String, Integer> counts) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The mean latency in ms of the requests each {@code <node> <plan>} served, in the order of {@link #choices}. */
    Map<String, Double> choiceMeansMs(String taskClass, Mode mode) {
        Entry entry = entry(taskClass, mode);
        Map<String, Double> means = new LinkedHashMap<>();
        choices(taskClass, mode).forEach((choice, n) -> means.put(choice, entry.choiceMillis.get(choice) / n));
        return means;
    }

    int errors(String taskClass, Mode mode) {
        return entry(taskClass, mode).errors;
    }

    /** The first failure's message; null when none failed. */
    String firstError(String taskClass, Mode mode) {
        return entry(taskClass, mode).firstError;
    }

    private Entry entry(String taskClass, Mode mode) {
        Entry entry = entries.get(new Key(taskClass, mode));
        if (entry == null) {
            throw new IllegalArgumentException("nothing measured for " + taskClass + " under " + mode);
        }
        return entry;
    }
}
