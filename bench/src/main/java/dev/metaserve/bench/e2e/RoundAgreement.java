package dev.metaserve.bench.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a round's luck is shared by the classes of a phase: per phase, the mean over pairs of its classes of the
 * correlation between their rounds' {@code ln(selector mean / best fixed mean)} (the best fixed plan taken over all
 * rounds). The classes of a phase run in the same windows, on the same machine; near 1, a round that went well or
 * badly for the selector did so for every class at once, so the classes are not independent evidence, and "matches on
 * every class" is about as likely as matching on the least sure class, not the product of the classes' chances. The
 * bootstrap ({@link MatchUncertainty}) already draws whole rounds for all classes together; this says how much that
 * matters.
 */
final class RoundAgreement {
    /** Fewer rounds say nothing of a correlation. */
    static final int MIN_ROUNDS = 3;

    private RoundAgreement() {}

    /**
     * @return per phase with at least two comparable classes, the mean correlation over their pairs; pairs whose
     *         ratios are undefined (a round without requests) or constant are left out, and a phase left with no pair
     *         is absent
     */
    static Map<Phase, Double> byPhase(List<ClassRounds> classes) {
        Map<Phase, List<double[]>> ratios = new LinkedHashMap<>();
        for (ClassRounds c : classes) {
            if (c.comparesSelector() && c.roundCount() >= MIN_ROUNDS) {
                ratios.computeIfAbsent(c.phase(), p -> new ArrayList<>()).add(logRatioByRound(c));
            }
        }
        Map<Phase, Double> agreement = new LinkedHashMap<>();
        ratios.forEach((phase, series) -> {
            double sum = 0;
            int pairs = 0;
            for (int i = 0; i < series.size(); i++) {
                for (int j = i + 1; j < series.size(); j++) {
                    double r = correlation(series.get(i), series.get(j));
                    if (!Double.isNaN(r)) {
                        sum += r;
                        pairs++;
                    }
                }
            }
            if (pairs > 0) {
                agreement.put(phase, sum / pairs);
            }
        });
        return agreement;
    }

    /** Per round, ln of the selector's mean over the best fixed mode's (NaN where either served nothing). */
    private static double[] logRatioByRound(ClassRounds c) {
        int[] allOnce = new int[c.roundCount()];
        Arrays.fill(allOnce, 1);
        Mode bestMode = MatchUncertainty.bestFixed(c, allOnce);
        List<RoundTotal> best = bestMode == null ? null : c.rounds().get(bestMode);
        List<RoundTotal> selector = c.rounds().get(Mode.SELECTOR);
        double[] out = new double[allOnce.length];
        for (int r = 0; r < out.length; r++) {
            if (best == null) {
                out[r] = Double.NaN; // no fixed mode served anything
                continue;
            }
            out[r] = Math.log(mean(selector.get(r)) / mean(best.get(r)));
        }
        return out;
    }

    private static double mean(RoundTotal round) {
        return round.requests() == 0 ? Double.NaN : round.totalMs() / round.requests();
    }

    /** Pearson's correlation; NaN when either series has a NaN or does not vary. */
    static double correlation(double[] a, double[] b) {
        double meanA = Arrays.stream(a).average().orElse(Double.NaN);
        double meanB = Arrays.stream(b).average().orElse(Double.NaN);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - meanA) * (b[i] - meanB);
            aa += (a[i] - meanA) * (a[i] - meanA);
            bb += (b[i] - meanB) * (b[i] - meanB);
        }
        return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : Double.NaN; // NaN fails both comparisons
    }
}
