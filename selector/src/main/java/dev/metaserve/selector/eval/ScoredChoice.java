package dev.metaserve.selector.eval;

import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.SelectionProblem;

/**
 * A choice scored against the measurements of its problem. A uniform choice among several candidates contributes
 * each with its probability.
 *
 * @param hit        probability the best candidate was chosen (0 or 1 for a single choice)
 * @param regrets    regret of each pick; a pick that breaks the tolerance is charged the problem's worst feasible
 *                   regret
 * @param violations probability the choice breaks the tolerance
 * @param clearCut   whether the problem's best is clear: its runner-up is more than {@link MethodResult#NEAR_BEST}
 *                   behind it, or no other candidate is feasible
 */
public record ScoredChoice(double hit, double[] regrets, double violations, boolean clearCut) {

    /** @throws IllegalArgumentException when a pick is not among the problem's candidates */
    public static ScoredChoice of(SelectionProblem problem, Choice choice) {
        int n = choice.picks().size();
        double[] regrets = new double[n];
        double hits = 0;
        double violations = 0;
        for (int k = 0; k < n; k++) {
            Candidate pick = choice.picks().get(k);
            int i = problem.indexOf(pick.key());
            if (i < 0) {
                throw new IllegalArgumentException("chosen candidate " + pick + " is not a candidate of " + problem);
            }
            if (i == problem.best()) {
                hits++;
            }
            if (problem.feasible(i)) {
                regrets[k] = problem.regret(i);
            } else {
                violations++;
                regrets[k] = problem.worstFeasibleRegret();
            }
        }
        return new ScoredChoice(hits / n, regrets, violations / n, clearCut(problem));
    }

    /** Whether a problem's best is clear: its runner-up more than {@link MethodResult#NEAR_BEST} behind, or none. */
    static boolean clearCut(SelectionProblem problem) {
        return !problem.runnerUpWithin(MethodResult.NEAR_BEST);
    }

    /** The same scores, with clearness decided by another labelling of the problem. */
    ScoredChoice withClearCut(boolean clear) {
        return new ScoredChoice(hit, regrets, violations, clear);
    }
}
