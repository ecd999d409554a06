package dev.metaserve.selector.online;

import static dev.metaserve.selector.online.Fixtures.FP32;
import static dev.metaserve.selector.online.Fixtures.FP32_BATCHED;
import static dev.metaserve.selector.online.Fixtures.candidate;
import static dev.metaserve.selector.online.Fixtures.embedding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What live evidence does to the choice: convergence, a node that turns slow, a node that recovers. */
class OnlinePolicyLearningTest {
    private final Fixtures.ManualClock clock = new Fixtures.ManualClock();
    private final Fixtures.Noise noise = new Fixtures.Noise(7, 0.1);
    private final TaskProfile task = embedding();

    private OnlinePolicy policy(PriorSource priors) {
        return new OnlinePolicy(priors, "v1", OnlinePolicySettings.defaults(), clock, 42);
    }

    /** Serves {@code requests} at one per {@code gapMs}; returns how often each candidate was chosen. */
    private int[] serve(OnlinePolicy policy, List<Candidate> candidates, Map<Candidate, Double> medianMs, int requests,
            double gapMs) {
        int[] chosen = new int[candidates.size()];
        for (int r = 0; r < requests; r++) {
            Decision d = policy.choose(task, candidates);
            chosen[d.index()]++;
            policy.observe(d, noise.around(medianMs.get(d.candidate())));
            clock.advanceMillis(gapMs);
        }
        return chosen;
    }

    @Test
    void withAFlatPriorItConvergesToTheFastestCandidate() {
        Candidate slow = candidate("node-a", FP32);
        Candidate fast = candidate("node-b", FP32);
        Candidate medium = candidate("node-b", FP32_BATCHED);
        List<Candidate> candidates = List.of(slow, fast, medium);
        Map<Candidate, Double> latency = Map.of(slow, 30.0, fast, 10.0, medium, 14.0);
        OnlinePolicy policy = policy(FlatPrior.INSTANCE);

        serve(policy, candidates, latency, 500, 10);
        int[] later = serve(policy, candidates, latency, 500, 10);

        assertThat(later[1]).as("choices of the fastest in the last 500").isGreaterThan(450);
    }

    @Test
    void itShiftsAwayFromANodeThatTurnsSlowWithinSeconds() {
        Candidate a = candidate("node-a", FP32);
        Candidate b = candidate("node-b", FP32);
        Candidate c = candidate("node-c", FP32);
        List<Candidate> candidates = List.of(a, b, c);
        OnlinePolicy policy = policy(FlatPrior.INSTANCE);
        // 20 requests a second; node-a is fastest for a minute
        int[] before = serve(policy, candidates, Map.of(a, 10.0, b, 15.0, c, 25.0), 1200, 50);
        assertThat(before[0]).isGreaterThan(1000);

        Map<Candidate, Double> aSlow = Map.of(a, 50.0, b, 15.0, c, 25.0); // node-a turns 5x slower
        int[] firstSecond = serve(policy, candidates, aSlow, 20, 50);
        int[] nextTwoSeconds = serve(policy, candidates, aSlow, 40, 50);

        // four or five slow requests tell it (30 seeds tried: 4-5 in the first second, 0-2 in the next two)
        assertThat(firstSecond[0]).as("node-a choices in the first second after it slowed").isLessThanOrEqualTo(6);
        assertThat(nextTwoSeconds[0]).as("node-a choices in the two seconds after").isLessThanOrEqualTo(3);
        assertThat(nextTwoSeconds[1]).as("node-b, now fastest").isGreaterThanOrEqualTo(36);
    }

    @Test
    void aNodeThatRecoversIsTriedAgainAndWinsBack() {
        Candidate a = candidate("node-a", FP32);
        Candidate b = candidate("node-b", FP32);
        List<Candidate> candidates = List.of(a, b);
        OnlinePolicy policy = policy(FlatPrior.INSTANCE);
        serve(policy, candidates, Map.of(a, 10.0, b, 15.0), 600, 100);
        serve(policy, candidates, Map.of(a, 50.0, b, 15.0), 600, 100);

        serve(policy, candidates, Map.of(a, 10.0, b, 15.0), 3000, 100); // five minutes after node-a recovered
        int[] last = serve(policy, candidates, Map.of(a, 10.0, b, 15.0), 300, 100);

        assertThat(last[0]).as("node-a choices once it had time to be retried").isGreaterThan(250);
    }

    @Test
    void aClassLeftIdleKeepsWhatItKnewUntilItsTrafficReturns() {
        Candidate a = candidate("node-a", FP32);
        Candidate b = candidate("node-b", FP32);
        List<Candidate> candidates = List.of(a, b);
        OnlinePolicy policy = policy(FlatPrior.INSTANCE);
        serve(policy, candidates, Map.of(a, 10.0, b, 15.0), 600, 100);
        double servedWeight = evidenceWeight(policy, "node-a");

        clock.advanceMillis(10 * 60_000); // ten minutes without a request of the class: ten half-lives of wall time

        // the whole gap since the last request counts as 5 s of use, 4.9 s more than when the weight was read:
        // 2^(-4.9 / 60) of it is kept (by the wall clock, 2^(-10))
        assertThat(evidenceWeight(policy, "node-a")).isCloseTo(servedWeight * Math.pow(2, -4.9 / 60),
                within(0.001 * servedWeight));
        int[] back = serve(policy, candidates, Map.of(a, 10.0, b, 15.0), 20, 100);
        assertThat(back[0]).as("node-a choices in the first 20 after the gap").isGreaterThanOrEqualTo(18);
    }

    private static double evidenceWeight(OnlinePolicy policy, String nodeId) {
        return policy.snapshot().taskClasses().get(0).beliefs().stream()
                .filter(b -> b.nodeId().equals(nodeId)).findFirst().orElseThrow().evidenceWeight();
    }

    @Test
    void priorsRelativeToTheTaskAreLiftedToTheLevelLiveEvidenceShows() {
        Candidate a = candidate("node-a", FP32);
        Candidate b = candidate("node-b", FP32);
        // a model that predicts scores relative to the task's mean: a is e^0.4 (1.5x) faster than b
        PriorSource relative = (t, cand) -> new Estimate(cand.equals(a) ? -0.2 : 0.2, 0.01, 0);
        OnlinePolicy policy = new OnlinePolicy(relative, "v1",
                OnlinePolicySettings.defaults().withExploration(Exploration.GREEDY).withExplorationFloor(0), clock, 1);

        int[] chosen = serve(policy, List.of(a, b), Map.of(a, 20.0, b, 30.0), 200, 10);

        // without the level, b's prior mean 0.2 would look far better than a's observed ln(20) = 3.0
        assertThat(chosen[0]).isEqualTo(200);
    }

    @Test
    void thompsonSamplingKeepsExploringWhileUnsure() {
        Candidate a = candidate("node-a", FP32);
        Candidate b = candidate("node-b", FP32);
        OnlinePolicy policy = policy(FlatPrior.INSTANCE);

        int[] chosen = serve(policy, List.of(a, b), Map.of(a, 10.0, b, 10.5), 200, 10);

        assertThat(chosen[0]).as("both nearly equal candidates get tried").isGreaterThan(15);
        assertThat(chosen[1]).isGreaterThan(15);
    }
}
