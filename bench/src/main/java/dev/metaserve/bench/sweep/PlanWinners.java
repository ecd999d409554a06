package dev.metaserve.bench.sweep;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Measurement;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.Observation;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which plan wins where, from observations: does one plan win everywhere (then the selector has nothing to choose and
 * the grid must be widened), or does the choice matter? A situation is a task profile (objective and quality
 * tolerance included) on a node; a plan is admissible there when its quality delta is within the tolerance; the
 * winner is the admissible plan with the lowest median latency (objective LATENCY) or the highest throughput
 * (THROUGHPUT). A plan's regret in a situation is how much worse it is than the winner (latency / best - 1, best
 * throughput / throughput - 1). When a plan was measured more than once in a situation, the latest measurement counts.
 */
final class PlanWinners {
    private record Situation(TaskProfile task, String nodeId, int threads, int cores, long memoryMb, int delayMs) {
        static Situation of(Observation o) {
            HardwareProfile h = o.hardware();
            return new Situation(o.task(), h.nodeId(), h.intraOpThreads(), h.cpuCores(), h.memoryLimitMb(),
                    h.networkDelayMs());
        }
    }

    /**
     * @param situations  situations with at least one admissible plan
     * @param wins        situations each plan wins, most first
     * @param bestSingle  the plan that, chosen everywhere, loses least on average; null when no plan is admissible
     *                    and measured in every situation
     * @param meanRegret  its mean regret over the situations
     * @param worstRegret its largest regret
     */
    record ModelSummary(String model, int situations, Map<Plan, Integer> wins, Plan bestSingle, double meanRegret,
                        double worstRegret) {
        boolean oneWinner() {
            return wins.size() == 1;
        }
    }

    private PlanWinners() {}

    static List<ModelSummary> summarise(List<Observation> observations) {
        Map<String, Map<Situation, Map<Plan, Observation>>> byModel = new TreeMap<>();
        for (Observation o : observations) {
            byModel.computeIfAbsent(o.task().model(), m -> new LinkedHashMap<>())
                    .computeIfAbsent(Situation.of(o), s -> new HashMap<>())
                    .merge(o.plan(), o, (a, b) -> b.observedAt().isAfter(a.observedAt()) ? b : a);
        }
        List<ModelSummary> summaries = new ArrayList<>();
        byModel.forEach((model, situations) -> summaries.add(summarise(model, situations)));
        return summaries;
    }

    private static ModelSummary summarise(String model, Map<Situation, Map<Plan, Observation>> situations) {
        Map<Plan, Integer> wins = new HashMap<>();
        Map<Plan, List<Double>> regrets = new HashMap<>();
        int counted = 0;
        for (Map.Entry<Situation, Map<Plan, Observation>> entry : situations.entrySet()) {
            TaskProfile task = entry.getKey().task();
            List<Observation> admissible = entry.getValue().values().stream()
                    .filter(o -> o.measurement().qualityDelta() <= task.qualityTolerance())
                    .toList();
            if (admissible.isEmpty()) {
                continue;
            }
            counted++;
            Observation best = admissible.stream()
                    .min(Comparator.comparingDouble(o -> score(task.objective(), o.measurement()))).orElseThrow();
            wins.merge(best.plan(), 1, Integer::sum);
            for (Observation o : admissible) {
                regrets.computeIfAbsent(o.plan(), p -> new ArrayList<>())
                        .add(regret(task.objective(), o.measurement(), best.measurement()));
            }
        }
        Plan bestSingle = null;
        double mean = Double.NaN;
        double worst = Double.NaN;
        for (Map.Entry<Plan, List<Double>> entry : regrets.entrySet()) {
            List<Double> r = entry.getValue();
            if (r.size() != counted) {
                continue; // not admissible, or not measured, somewhere
            }
            double m = r.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            if (bestSingle == null || m < mean) {
                bestSingle = entry.getKey();
                mean = m;
                worst = r.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            }
        }
        Map<Plan, Integer> sorted = new LinkedHashMap<>();
        wins.entrySet().stream()
                .sorted(Map.Entry.<Plan, Integer>comparingByValue().reversed()
                        .thenComparing(e -> e.getKey().toString()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new ModelSummary(model, counted, sorted, bestSingle, mean, worst);
    }

    /** Lower is better. */
    private static double score(Objective objective, Measurement m) {
        return objective == Objective.LATENCY ? m.latencyP50Ms() : -m.throughputPerSecond();
    }

    private static double regret(Objective objective, Measurement m, Measurement best) {
        if (objective == Objective.LATENCY) {
            return best.latencyP50Ms() == 0 ? 0 : m.latencyP50Ms() / best.latencyP50Ms() - 1;
        }
        return m.throughputPerSecond() == 0 ? Double.POSITIVE_INFINITY
                : best.throughputPerSecond() / m.throughputPerSecond() - 1;
    }

    static String format(List<ModelSummary> summaries) {
        StringBuilder text = new StringBuilder();
        for (ModelSummary s : summaries) {
            text.append(String.format(Locale.ROOT, "%s: %d situations (task profile x node, objective and"
                    + " tolerance included)%n", s.model(), s.situations()));
            text.append("   wins  plan\n");
            s.wins().forEach((plan, n) -> text.append(String.format(Locale.ROOT, "  %5d  %s%n", n, plan)));
            if (s.bestSingle() == null) {
                text.append("  no plan is admissible and measured in every situation\n");
            } else {
                text.append(String.format(Locale.ROOT, "  best single plan: %s, %.1f%% worse than the winner on"
                        + " average, %.1f%% at worst%n", s.bestSingle(), 100 * s.meanRegret(), 100 * s.worstRegret()));
            }
            text.append(s.oneWinner()
                    ? "  -> one plan wins everywhere: widen the grid until the choice matters\n"
                    : String.format(Locale.ROOT, "  -> no single plan wins everywhere (%d plans win somewhere)%n",
                            s.wins().size()));
        }
        return text.toString();
    }
}
