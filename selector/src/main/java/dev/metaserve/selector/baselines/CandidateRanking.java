package dev.metaserve.selector.baselines;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.CandidateKey;
import dev.metaserve.selector.problem.SelectionProblem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Candidates ordered by how often they were best on a set of problems, ties broken by lower mean regret (a candidate
 * that breaks a problem's tolerance is charged that problem's worst feasible regret, as in evaluation; one not
 * measured on a problem is not charged there). Picks the first ranked candidate a query offers.
 */
final class CandidateRanking {
    private final List<CandidateKey> order;

    private CandidateRanking(List<CandidateKey> order) {
        this.order = order;
    }

    static CandidateRanking of(Collection<SelectionProblem> problems) {
        Map<CandidateKey, Integer> wins = new HashMap<>();
        Map<CandidateKey, double[]> regret = new HashMap<>();
        for (SelectionProblem p : problems) {
            wins.merge(p.key(p.best()), 1, Integer::sum);
            double worst = p.worstFeasibleRegret();
            for (int i = 0; i < p.size(); i++) {
                double r = p.feasible(i) ? p.regret(i) : worst;
                double[] sum = regret.computeIfAbsent(p.key(i), k -> new double[2]);
                sum[0] += r;
                sum[1]++;
            }
        }
        List<CandidateKey> order = new ArrayList<>(regret.keySet());
        order.sort(Comparator.comparing((CandidateKey k) -> -wins.getOrDefault(k, 0))
                .thenComparingDouble(k -> regret.get(k)[0] / regret.get(k)[1])
                .thenComparing(Comparator.naturalOrder()));
        return new CandidateRanking(List.copyOf(order));
    }

    /** The first ranked candidate among those offered, or null when none of them is ranked. */
    Candidate pick(List<Candidate> offered) {
        Map<CandidateKey, Candidate> byKey = new HashMap<>();
        for (Candidate c : offered) {
            byKey.putIfAbsent(c.key(), c);
        }
        for (CandidateKey k : order) {
            Candidate c = byKey.get(k);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** As {@link #pick}, falling back to the first offered candidate. */
    Candidate pickOrFirst(List<Candidate> offered) {
        Candidate c = pick(offered);
        return c != null ? c : offered.get(0);
    }

    List<CandidateKey> order() {
        return order;
    }
}
