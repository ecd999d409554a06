package dev.metaserve.selector.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.method.Choice;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.MeasuredCandidate;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringTest {
    private static final HardwareProfile NODE = new HardwareProfile("n", 1, 1, 0, 0, "");
    private static final Candidate A = new Candidate(NODE, Plan.parse("batching=none,precision=fp32"));
    private static final Candidate B = new Candidate(NODE, Plan.parse("batching=none,precision=int8"));
    private static final Candidate C = new Candidate(NODE, Plan.parse("batching=dynamic(8,1000),precision=fp32"));

    /** A 10 ms, B 15 ms (loses 0.02), C 30 ms; tolerance 0.01 makes B infeasible. */
    private static SelectionProblem problem(double tolerance) {
        TaskProfile task = new TaskProfile("m", TaskProfile.EMBEDDING, TaskProfile.PROSE, 16, 0, 1, 1,
                Objective.LATENCY, tolerance);
        return new SelectionProblem(task, List.of(new MeasuredCandidate(A, 10, 100, 0, 1),
                new MeasuredCandidate(B, 15, 66, 0.02, 1), new MeasuredCandidate(C, 30, 33, 0, 1)));
    }

    @Test
    void aSingleChoiceHitsOrMissesAndHasItsRegret() {
        ScoredChoice hit = ScoredChoice.of(problem(0.05), Choice.of(A));
        ScoredChoice miss = ScoredChoice.of(problem(0.05), Choice.of(C));
        assertThat(hit.hit()).isEqualTo(1);
        assertThat(hit.regrets()).containsExactly(0);
        assertThat(miss.hit()).isZero();
        assertThat(miss.regrets()[0]).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void aChoiceBreakingTheToleranceIsChargedTheWorstFeasibleRegret() {
        ScoredChoice s = ScoredChoice.of(problem(0.01), Choice.of(B));
        assertThat(s.violations()).isEqualTo(1);
        assertThat(s.regrets()[0]).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void randomIsScoredByItsExpectation() {
        ScoredChoice s = ScoredChoice.of(problem(0.05), new Choice(List.of(A, B, C)));
        assertThat(s.hit()).isCloseTo(1.0 / 3, within(1e-12));
        MethodResult r = MethodResult.of("random", List.of(s), 0, 0);
        assertThat(r.meanRegret()).isCloseTo((0 + 0.5 + 2.0) / 3, within(1e-12));
        assertThat(r.accuracy()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.nearBest()).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void accuracyMeanAndP90OverProblems() {
        List<ScoredChoice> scored = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // regrets 0, 0.1, ..., 0.9; hits on the first four; the first five problems' best is clear
            scored.add(new ScoredChoice(i < 4 ? 1 : 0, new double[] {i / 10.0}, 0, i < 5));
        }
        MethodResult r = MethodResult.of("m", scored, 1.5, 2.0);
        assertThat(r.problems()).isEqualTo(10);
        assertThat(r.accuracy()).isCloseTo(0.4, within(1e-12));
        assertThat(r.meanRegret()).isCloseTo(0.45, within(1e-12));
        assertThat(r.p90Regret()).isCloseTo(0.8, within(1e-12));
        assertThat(r.nearBest()).isCloseTo(0.1, within(1e-12));
        assertThat(r.clearShare()).isCloseTo(0.5, within(1e-12));
        assertThat(r.clearAccuracy()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void aProblemWhoseRunnerUpIsWithinFivePercentIsNotClearCut() {
        TaskProfile task = new TaskProfile("m", TaskProfile.EMBEDDING, TaskProfile.PROSE, 16, 0, 1, 1,
                Objective.LATENCY, 0.05);
        SelectionProblem nearTie = new SelectionProblem(task, List.of(new MeasuredCandidate(A, 10, 100, 0, 1),
                new MeasuredCandidate(C, 10.4, 96, 0, 1)));

        assertThat(ScoredChoice.of(nearTie, Choice.of(A)).clearCut()).isFalse();
        assertThat(ScoredChoice.of(problem(0.05), Choice.of(A)).clearCut()).isTrue(); // runner-up 50% behind
        TaskProfile strict = new TaskProfile("m", TaskProfile.EMBEDDING, TaskProfile.PROSE, 16, 0, 1, 1,
                Objective.LATENCY, 0.01);
        SelectionProblem alone = new SelectionProblem(strict, List.of(new MeasuredCandidate(A, 10, 100, 0, 1),
                new MeasuredCandidate(B, 10.1, 99, 0.02, 1)));
        assertThat(ScoredChoice.of(alone, Choice.of(A)).clearCut()).isTrue(); // B breaks the tolerance: no runner-up
        MethodResult noneClear = MethodResult.of("m", List.of(ScoredChoice.of(nearTie, Choice.of(A))), 0, 0);
        assertThat(noneClear.clearShare()).isZero();
        assertThat(noneClear.clearAccuracy()).isNaN();
    }
}
