package dev.metaserve.bench.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a round's luck is shared by the classes of a phase: per phase, the mean over pairs of its classes of the
 * correlation between their rounds' {@code ln(selector mean / best fixed mean)} (the best fixed plan taken over all
 * rounds). The classes of a phase run in the same windows, on the same machine; near 1, a round that went well or
 * badly for the selector did so for every class at once, so the classes are not independent evidence, and "matches on
 * every class" is about as likely as matching on the least sure class, not the product of the classes' chances. The
 * bootstrap ({@link MatchUncertainty}) already draws whole rounds for all classes together; this says how much that
 * matters. One run's few rounds say little (two classes with nothing in common show |r| above 0.9 in about one run of
 * four rounds in ten); several runs pooled say more.
 */
final class RoundAgreement {
    /** Rounds a pair needs in common: two points always correlate at ±1, three at almost any value. */
    static final int MIN_ROUNDS = 4;

    private RoundAgreement() {}

    /**
     * @return per phase (in the enum's order) with at least one pair of comparable classes, the mean correlation over
     *         its pairs; a pair counts only the rounds in which both classes had requests in the selector and in their
     *         best fixed mode, and is left out when fewer than {@link #MIN_ROUNDS} remain or either does not vary
     */
    static Map<Phase, Double> byPhase(List<ClassRounds> classes) {
        Map<Phase, List<double[]>> ratios = new EnumMap<>(Phase.class);
        for (ClassRounds c : classes) {
            if (c.comparesSelector()) {
                ratios.computeIfAbsent(c.phase(), p -> new ArrayList<>()).add(logRatioByRound(c));
            }
        }
        Map<Phase, Double> agreement = new EnumMap<>(Phase.class);
        ratios.forEach((phase, series) -> {
            double sum = 0;
            int pairs = 0;
            for (int i = 0; i < series.size(); i++) {
                for (int j = i + 1; j < series.size(); j++) {
                    double r = correlationOverCommonRounds(series.get(i), series.get(j));
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
        return Collections.unmodifiableMap(agreement);
    }

    /** Per round, ln of the selector's mean over the best fixed mode's (NaN where either served nothing). */
    private static double[] logRatioByRound(ClassRounds c) {
        double[] out = new double[c.roundCount()];
        Mode bestMode = MatchUncertainty.bestFixed(c, MatchUncertainty.allOnce(out.length));
        if (bestMode == null) { // no fixed mode served anything
            Arrays.fill(out, Double.NaN);
            return out;
        }
        List<RoundTotal> selector = c.rounds().get(Mode.SELECTOR);
        List<RoundTotal> best = c.rounds().get(bestMode);
        for (int r = 0; r < out.length; r++) {
            out[r] = Math.log(selector.get(r).meanMs() / best.get(r).meanMs());
        }
        return out;
    }

    /** The correlation over the rounds where both are defined; NaN when fewer than {@link #MIN_ROUNDS}. */
    private static double correlationOverCommonRounds(double[] a, double[] b) {
        int n = 0;
        double[] x = new double[a.length];
        double[] y = new double[a.length];
        for (int r = 0; r < Math.min(a.length, b.length); r++) {
            if (Double.isFinite(a[r]) && Double.isFinite(b[r])) {
                x[n] = a[r];
                y[n] = b[r];
                n++;
            }
        }
        return n < MIN_ROUNDS ? Double.NaN : correlation(Arrays.copyOf(x, n), Arrays.copyOf(y, n));
    }

    /** Pearson's correlation of two series of one length; NaN when either does not vary. */
    private static double correlation(double[] a, double[] b) {
        double meanA = Arrays.stream(a).average().orElseThrow();
        double meanB = Arrays.stream(b).average().orElseThrow();
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - meanA) * (b[i] - meanB);
            aa += (a[i] - meanA) * (a[i] - meanA);
            bb += (b[i] - meanB) * (b[i] - meanB);
        }
        return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : Double.NaN;
    }
}
