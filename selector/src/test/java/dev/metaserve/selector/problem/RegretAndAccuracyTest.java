package dev.metaserve.selector.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegretAndAccuracyTest {
    static final HardwareProfile NODE = new HardwareProfile("n", 1, 1, 0, 0, "");
    static final Candidate FP32 = new Candidate(NODE, Plan.parse("batching=none,precision=fp32"));
    static final Candidate INT8 = new Candidate(NODE, Plan.parse("batching=none,precision=int8"));
    static final Candidate BATCHED = new Candidate(NODE, Plan.parse("batching=dynamic(8,1000),precision=fp32"));

    static TaskProfile task(Objective objective, double tolerance) {
        return new TaskProfile("m", TaskProfile.EMBEDDING, TaskProfile.PROSE, 16, 0, 1, 4, objective, tolerance);
    }

    /** fp32 12 ms / 80 rps, int8 10 ms / 100 rps but loses 0.02, batched 20 ms / 50 rps. */
    static SelectionProblem problem(Objective objective, double tolerance) {
        return new SelectionProblem(task(objective, tolerance), List.of(
                new MeasuredCandidate(FP32, 12, 80, 0, 1),
                new MeasuredCandidate(INT8, 10, 100, 0.02, 1),
                new MeasuredCandidate(BATCHED, 20, 50, 0, 1)));
    }

    @Test
    void latencyRegretIsChosenOverBestMinusOne() {
        SelectionProblem p = problem(Objective.LATENCY, 0.05);
        assertThat(p.key(p.best())).isEqualTo(INT8.key());
        assertThat(p.regret(p.indexOf(FP32.key()))).isCloseTo(0.2, within(1e-12));
        assertThat(p.regret(p.indexOf(BATCHED.key()))).isCloseTo(1.0, within(1e-12));
        assertThat(p.regret(p.best())).isZero();
    }

    @Test
    void throughputRegretIsBestOverChosenMinusOne() {
        SelectionProblem p = problem(Objective.THROUGHPUT, 0.05);
        assertThat(p.regret(p.indexOf(FP32.key()))).isCloseTo(100.0 / 80 - 1, within(1e-12));
        assertThat(p.regret(p.indexOf(BATCHED.key()))).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theBestMustKeepQualityWithinTolerance() {
        SelectionProblem p = problem(Objective.LATENCY, 0.01);
        assertThat(p.feasible(p.indexOf(INT8.key()))).isFalse();
        assertThat(p.key(p.best())).isEqualTo(FP32.key());
        assertThat(p.regret(p.indexOf(BATCHED.key()))).isCloseTo(20.0 / 12 - 1, within(1e-12));
        assertThat(p.worstFeasibleRegret()).isCloseTo(20.0 / 12 - 1, within(1e-12));
    }

    @Test
    void theRunnerUpIsTheClosestFeasibleCandidateBehindTheBest() {
        assertThat(problem(Objective.LATENCY, 0.05).runnerUpRegret()).isCloseTo(0.2, within(1e-12));
        // int8 breaks this tolerance, so fp32 is best and the batched plan, 67% slower, is the runner-up
        assertThat(problem(Objective.LATENCY, 0.01).runnerUpRegret()).isCloseTo(20.0 / 12 - 1, within(1e-12));
        SelectionProblem alone = new SelectionProblem(task(Objective.LATENCY, 0.01), List.of(
                new MeasuredCandidate(FP32, 12, 80, 0, 1), new MeasuredCandidate(INT8, 10, 100, 0.02, 1)));
        assertThat(alone.runnerUpRegret()).isNaN();
    }
}
