package dev.metaserve.bench.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How far a run's verdict can be trusted: a bootstrap over its measured rounds. A draw takes as many rounds as were
 * measured, with replacement (of pooled runs: runs first, then rounds within each), the same rounds for every class
 * and mode (the classes of a round met the same machine),
 * and decides everything again from them: each class's pooled means, its best fixed plan (chosen again in every draw,
 * so the luck of the plan that looked best is counted too), whether the selector matches it, and the geometric mean
 * over classes. Window-to-window noise here is large (2026-12-02: a fixed plan's window mean varied by about 20% after
 * round and plan effects were taken out, and neighbouring windows hardly agreed), so a single run's "matches" or "does
 * not match" is often luck; this says how often. With few rounds it says so only roughly: four rounds give 35
 * distinct draws, and a bootstrap of n rounds understates their variance by (n - 1) / n.
 */
final class MatchUncertainty {
    /** Share of the draws an interval covers: from the 5th to the 95th percentile. */
    static final double COVERAGE = 0.90;

    /**
     * One class.
     *
     * @param rounds              rounds drawn from
     * @param bestFixed           the fixed mode of lowest mean over all rounds
     * @param selectorToBestFixed the selector's mean over that mode's, all rounds
     * @param low                 lower end of the {@link #COVERAGE} interval of that ratio over the draws, best fixed
     *                            plan chosen again in each
     * @param high                upper end
     * @param matchShare          share of draws in which the selector matches its best fixed plan
     */
    record ClassVerdict(String taskClass, Phase phase, int rounds, Mode bestFixed, double selectorToBestFixed,
                        double low, double high, double matchShare) {}

    /**
     * All classes.
     *
     * @param bestFixedPerClassToSelector geometric mean over the classes of the best fixed mean over the selector's,
     *                                    all rounds (above 1: the selector beats choosing the best plan per class)
     * @param low                         lower end of its {@link #COVERAGE} interval over the draws
     * @param high                        upper end
     * @param allMatchShare               share of draws in which the selector matches on every class
     * @param beatsShare                  share of draws in which it beats the per-class best overall (ratio above 1)
     * @param aimShare                    share of draws in which both hold: the end-to-end aim
     * @param draws                       bootstrap draws
     * @param roundAgreement              per phase, how much its classes' rounds went the same way
     *                                    ({@link RoundAgreement})
     */
    record Verdict(List<ClassVerdict> classes, double bestFixedPerClassToSelector, double low, double high,
                   double allMatchShare, double beatsShare, double aimShare, int draws,
                   Map<Phase, Double> roundAgreement) {
        Verdict {
            classes = List.copyOf(classes);
            EnumMap<Phase, Double> byPhase = new EnumMap<>(Phase.class); // in the phases' order, even when empty
            byPhase.putAll(roundAgreement);
            roundAgreement = Collections.unmodifiableMap(byPhase);
        }
    }

    private MatchUncertainty() {}

    /** As {@link #of(List, List, int, long)} for the rounds of one run. */
    static Verdict of(List<ClassRounds> classes, int draws, long seed) {
        return of(classes, classes.isEmpty() ? List.of() : List.of(classes.get(0).roundCount()), draws, seed);
    }

    /**
     * @param classes      every class compared, each with the selector and at least one fixed mode, all with the same
     *                     rounds
     * @param roundsPerRun how many of the rounds, in order, each run measured: a draw takes as many runs as there are,
     *                     with replacement, then in each run taken as many of its rounds, with replacement, so what
     *                     differs from run to run (each starts its own processes) counts as well
     * @throws IllegalArgumentException when a class lacks the selector or a fixed mode, classes differ in rounds, or
     *                                  the runs' rounds do not add up to them
     */
    static Verdict of(List<ClassRounds> classes, List<Integer> roundsPerRun, int draws, long seed) {
        if (classes.isEmpty() || draws < 1) {
            throw new IllegalArgumentException("a bootstrap needs at least one class and one draw");
        }
        int rounds = classes.get(0).roundCount();
        for (ClassRounds c : classes) {
            if (c.roundCount() != rounds) {
                throw new IllegalArgumentException(c.taskClass() + " has " + c.roundCount() + " rounds, "
                        + classes.get(0).taskClass() + " " + rounds + ": rounds are drawn for all classes at once");
            }
            if (!c.comparesSelector()) {
                throw new IllegalArgumentException(c.taskClass() + " needs the selector and a fixed mode to compare");
            }
        }
        if (rounds == 0) {
            throw new IllegalArgumentException("no measured round to draw from");
        }
        int[] runStarts = new int[roundsPerRun.size() + 1];
        for (int run = 0; run < roundsPerRun.size(); run++) {
            if (roundsPerRun.get(run) < 1) {
                throw new IllegalArgumentException("run " + (run + 1) + " has no measured round");
            }
            runStarts[run + 1] = runStarts[run] + roundsPerRun.get(run);
        }
        if (runStarts[roundsPerRun.size()] != rounds) {
            throw new IllegalArgumentException("the runs' rounds " + roundsPerRun + " do not add up to the " + rounds
                    + " rounds measured");
        }
        int[] once = allOnce(rounds);
        double[][] ratios = new double[classes.size()][draws];
        double[] overall = new double[draws];
        int allMatch = 0;
        int beats = 0;
        int aim = 0;
        SplittableRandom random = new SplittableRandom(seed);
        int[] weights = new int[rounds];
        double[] drawn = new double[classes.size()];
        for (int d = 0; d < draws; d++) {
            Arrays.fill(weights, 0);
            for (int i = 0; i < roundsPerRun.size(); i++) {
                int run = random.nextInt(roundsPerRun.size());
                int start = runStarts[run];
                int count = runStarts[run + 1] - start;
                for (int j = 0; j < count; j++) {
                    weights[start + random.nextInt(count)]++;
                }
            }
            boolean every = true;
            for (int c = 0; c < classes.size(); c++) {
                drawn[c] = selectorToBest(classes.get(c), weights);
                ratios[c][d] = drawn[c];
                every &= drawn[c] <= 1 + Summary.MATCH_TOLERANCE; // false for NaN: nothing measured is no match
            }
            double selectorToBest = Summary.geometricMean(drawn);
            overall[d] = Double.isNaN(selectorToBest) ? 0 : 1 / selectorToBest; // nothing measured: no lead
            allMatch += every ? 1 : 0;
            beats += overall[d] > 1 ? 1 : 0;
            aim += every && overall[d] > 1 ? 1 : 0;
        }
        List<ClassVerdict> verdicts = new ArrayList<>();
        double[] point = new double[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            ClassRounds cls = classes.get(c);
            double ratio = selectorToBest(cls, once);
            point[c] = ratio;
            double[] sorted = ratios[c].clone();
            Arrays.sort(sorted); // NaN last
            long matched = Arrays.stream(ratios[c]).filter(r -> r <= 1 + Summary.MATCH_TOLERANCE).count();
            verdicts.add(new ClassVerdict(cls.taskClass(), cls.phase(), rounds, bestFixed(cls, once), ratio,
                    quantile(sorted, (1 - COVERAGE) / 2), quantile(sorted, (1 + COVERAGE) / 2),
                    matched / (double) draws));
        }
        double[] sortedOverall = overall.clone();
        Arrays.sort(sortedOverall);
        return new Verdict(verdicts, 1 / Summary.geometricMean(point),
                quantile(sortedOverall, (1 - COVERAGE) / 2), quantile(sortedOverall, (1 + COVERAGE) / 2),
                allMatch / (double) draws, beats / (double) draws, aim / (double) draws, draws,
                RoundAgreement.byPhase(classes));
    }

    /** Weights that count each of {@code rounds} rounds once. */
    static int[] allOnce(int rounds) {
        int[] once = new int[rounds];
        Arrays.fill(once, 1);
        return once;
    }

    /** The selector's mean over the best fixed mode's, each round counted {@code weights[r]} times. */
    private static double selectorToBest(ClassRounds c, int[] weights) {
        Mode best = bestFixed(c, weights);
        return best == null ? Double.NaN : mean(c.rounds().get(Mode.SELECTOR), weights)
                / mean(c.rounds().get(best), weights);
    }

    /** The fixed mode of lowest mean under the weights; null when none measured a request in the rounds drawn. */
    static Mode bestFixed(ClassRounds c, int[] weights) {
        Mode best = null;
        double bestMean = Double.POSITIVE_INFINITY;
        for (Map.Entry<Mode, List<RoundTotal>> e : c.rounds().entrySet()) {
            if (!e.getKey().isFixed()) {
                continue;
            }
            double mean = mean(e.getValue(), weights);
            if (mean < bestMean) { // NaN never is
                best = e.getKey();
                bestMean = mean;
            }
        }
        return best;
    }

    /** Mean latency of the requests of the rounds, round {@code r} counted {@code weights[r]} times; NaN for none. */
    private static double mean(List<RoundTotal> rounds, int[] weights) {
        double totalMs = 0;
        long requests = 0;
        for (int r = 0; r < weights.length; r++) {
            totalMs += weights[r] * rounds.get(r).totalMs();
            requests += weights[r] * rounds.get(r).requests();
        }
        return requests == 0 ? Double.NaN : totalMs / requests;
    }

    /** The value at share {@code q} of sorted values (nearest rank); NaN values, sorted last, count as the largest. */
    private static double quantile(double[] sorted, double q) {
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[index];
    }
}
