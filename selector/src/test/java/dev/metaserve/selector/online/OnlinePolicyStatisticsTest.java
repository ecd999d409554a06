package dev.metaserve.selector.online;

import static dev.metaserve.selector.online.Fixtures.FP32;
import static dev.metaserve.selector.online.Fixtures.FP32_BATCHED;
import static dev.metaserve.selector.online.Fixtures.INT8;
import static dev.metaserve.selector.online.Fixtures.candidate;
import static dev.metaserve.selector.online.Fixtures.embedding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.metaserve.selector.problem.Candidate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin snapshot: counts that match the decisions, under concurrency too, and regret estimates. */
class OnlinePolicyStatisticsTest {
    private final List<Candidate> candidates = List.of(candidate("node-a", FP32), candidate("node-a", INT8),
            candidate("node-b", FP32), candidate("node-b", FP32_BATCHED));

    @Test
    void snapshotCountsMatchTheDecisions() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        Fixtures.Noise noise = new Fixtures.Noise(5, 0.2);
        OnlinePolicy policy = new OnlinePolicy(FlatPrior.INSTANCE, "v7", OnlinePolicySettings.defaults(), clock, 11);
        Map<String, Long> perPlan = new HashMap<>();
        Map<String, Long> perNode = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            Decision d = policy.choose(embedding(16 << (i % 3), 0.1), candidates);
            perPlan.merge(d.candidate().plan().toString(), 1L, Long::sum);
            perNode.merge(d.candidate().hardware().nodeId(), 1L, Long::sum);
            if (i % 2 == 0) {
                policy.observe(d, noise.around(10 + d.index()));
            }
            clock.advanceMillis(3);
        }

        PolicySnapshot snapshot = policy.snapshot();

        assertThat(snapshot.modelVersion()).isEqualTo("v7");
        assertThat(snapshot.decisions()).isEqualTo(1000);
        assertThat(snapshot.observations()).isEqualTo(500);
        assertThat(snapshot.decisionsPerPlan()).isEqualTo(perPlan);
        assertThat(snapshot.decisionsPerNode()).isEqualTo(perNode);
        assertThat(snapshot.taskClasses()).extracting(TaskClassStats::taskClass).containsExactly(
                "all-minilm-l6-v2/embedding/prose/LATENCY/in<=16/out<=0/texts<=8",
                "all-minilm-l6-v2/embedding/prose/LATENCY/in<=32/out<=0/texts<=8",
                "all-minilm-l6-v2/embedding/prose/LATENCY/in<=64/out<=0/texts<=8");
        assertThat(snapshot.taskClasses()).extracting(TaskClassStats::decisions).containsExactly(334L, 333L, 333L);
        assertThat(snapshot.taskClasses()).extracting(TaskClassStats::recentDecisions).containsOnly(256);
        assertThat(snapshot.recentMeanRegret()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void snapshotShowsEachCandidatesBeliefFastestFirst() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        OnlinePolicy policy = new OnlinePolicy(FlatPrior.INSTANCE, "v1", OnlinePolicySettings.defaults(), clock, 3);
        policy.choose(embedding(), candidates); // installs every candidate's prior
        for (int i = 0; i < 20; i++) {
            policy.observe(embedding(), candidates.get(2), 40);
            policy.observe(embedding(), candidates.get(1), 10);
        }

        List<CandidateBelief> beliefs = policy.snapshot().taskClasses().get(0).beliefs();

        assertThat(beliefs).hasSize(candidates.size());
        CandidateBelief fastest = beliefs.get(0);
        CandidateBelief slowest = beliefs.get(beliefs.size() - 1);
        assertThat(fastest.nodeId()).isEqualTo("node-a");
        assertThat(fastest.plan()).isEqualTo(INT8.toString());
        assertThat(fastest.idleLatencyMs()).isCloseTo(10, offset(1.0));
        assertThat(fastest.observations()).isEqualTo(20);
        assertThat(fastest.evidenceWeight()).isGreaterThan(10).isLessThanOrEqualTo(20);
        assertThat(slowest.nodeId()).isEqualTo("node-b");
        assertThat(slowest.plan()).isEqualTo(FP32.toString());
        assertThat(slowest.idleLatencyMs()).isCloseTo(40, offset(4.0));
        assertThat(beliefs).extracting(CandidateBelief::priorToFavourite).containsOnly(1.0); // a flat prior
        assertThat(beliefs.get(1).observations()).isZero();
    }

    @Test
    void snapshotShowsHowChosenRequestsWentAgainstWhatWasExpectedUnderTheirLoad() {
        Candidate only = candidates.get(0);
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        OnlinePolicy policy = new OnlinePolicy(FlatPrior.INSTANCE, "v1", OnlinePolicySettings.defaults()
                .withLoadElasticity(1, Double.POSITIVE_INFINITY), clock, 3);
        for (int i = 0; i < 300; i++) { // 10 ms idle, served under a load factor of 4: 40 ms
            policy.observe(policy.choose(embedding(), List.of(only), (index, ms) -> 4), 40);
        }
        CandidateBelief steady = beliefOf(policy, only);
        assertThat(steady.chosenLoadFactor()).isCloseTo(4, offset(1e-9));
        assertThat(steady.chosenWeight()).isCloseTo(64, offset(1.0)); // (1 - (63/64)^300) * 64
        assertThat(steady.servedToExpected()).isCloseTo(1, offset(0.05));

        for (int i = 0; i < 10; i++) { // the node turns twice as slow
            policy.observe(policy.choose(embedding(), List.of(only), (index, ms) -> 4), 80);
        }
        assertThat(beliefOf(policy, only).servedToExpected()).isGreaterThan(1.05);

        CandidateBelief neverChosen = beliefOf(policy, candidates.get(1));
        assertThat(neverChosen.chosenWeight()).isZero();
        assertThat(neverChosen.servedToExpected()).isEqualTo(1);

        // a minute of the class in use with requests elsewhere halves the weight behind the figures, not the figures
        CandidateBelief before = beliefOf(policy, only);
        for (int i = 0; i < 15; i++) {
            clock.advanceMillis(4000);
            policy.observe(embedding(), candidates.get(1), 10);
        }
        CandidateBelief after = beliefOf(policy, only);
        assertThat(after.chosenWeight()).isCloseTo(before.chosenWeight() / 2, offset(0.5));
        assertThat(after.servedToExpected()).isEqualTo(before.servedToExpected());
    }

    /** The candidate's belief; makes one decision (not observed), which only moves the decision counts. */
    private static CandidateBelief beliefOf(OnlinePolicy policy, Candidate candidate) {
        policy.choose(embedding(), List.of(candidate)); // installs its prior, if new
        return policy.snapshot().taskClasses().get(0).beliefs().stream()
                .filter(b -> b.nodeId().equals(candidate.hardware().nodeId())
                        && b.plan().equals(candidate.plan().toString()))
                .findFirst().orElseThrow();
    }

    @Test
    void snapshotShowsEachPriorRelativeToTheModelsFavourite() {
        // the model expects node-b batched fastest, then node-a int8 30% slower, node-a fp32 2x, node-b fp32 4x
        Map<Candidate, Double> expectedMs = Map.of(candidates.get(3), 10.0, candidates.get(1), 13.0,
                candidates.get(0), 20.0, candidates.get(2), 40.0);
        PriorSource model = (task, candidate) -> new Estimate(Math.log(expectedMs.get(candidate)), 0.25, 0);
        OnlinePolicy policy = new OnlinePolicy(model, "v2", OnlinePolicySettings.defaults(),
                new Fixtures.ManualClock(), 5);
        policy.choose(embedding(), candidates); // installs every candidate's prior

        Map<String, Double> ratioByCandidate = new HashMap<>();
        for (CandidateBelief belief : policy.snapshot().taskClasses().get(0).beliefs()) {
            ratioByCandidate.put(belief.nodeId() + " " + belief.plan(), belief.priorToFavourite());
        }

        assertThat(ratioByCandidate).hasSize(candidates.size());
        assertThat(ratioByCandidate.get("node-b " + FP32_BATCHED)).isCloseTo(1.0, offset(1e-9));
        assertThat(ratioByCandidate.get("node-a " + INT8)).isCloseTo(1.3, offset(1e-9));
        assertThat(ratioByCandidate.get("node-a " + FP32)).isCloseTo(2.0, offset(1e-9));
        assertThat(ratioByCandidate.get("node-b " + FP32)).isCloseTo(4.0, offset(1e-9));
    }

    @Test
    void regretIsZeroWhenChoosingWhatItBelievesBestAndPositiveWhileExploring() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        OnlinePolicySettings greedy = OnlinePolicySettings.defaults().withExploration(Exploration.GREEDY)
                .withExplorationFloor(0);
        OnlinePolicy greedyPolicy = new OnlinePolicy(FlatPrior.INSTANCE, "v1", greedy, clock, 1);
        OnlinePolicy thompson = new OnlinePolicy(FlatPrior.INSTANCE, "v1", OnlinePolicySettings.defaults(), clock, 1);
        for (OnlinePolicy policy : List.of(greedyPolicy, thompson)) {
            for (Candidate c : candidates) {
                policy.observe(embedding(), c, 10 + 10 * candidates.indexOf(c));
            }
            for (int i = 0; i < 300; i++) {
                Decision d = policy.choose(embedding(), candidates);
                assertThat(d.estimatedRegret()).isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(greedyPolicy.snapshot().recentMeanRegret()).isZero();
        assertThat(thompson.snapshot().recentMeanRegret()).isPositive();
    }

    @Test
    void concurrentDecisionsAndObservationsLoseNoCounts() throws Exception {
        OnlinePolicy policy = new OnlinePolicy(FlatPrior.INSTANCE, "v1", OnlinePolicySettings.defaults(),
                System::nanoTime, 99);
        int threads = 4;
        int perThread = 5000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Map<String, Long>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    Fixtures.Noise noise = new Fixtures.Noise(thread, 0.2);
                    Map<String, Long> perNode = new HashMap<>();
                    for (int i = 0; i < perThread; i++) {
                        Decision d = policy.choose(embedding(8 << (i % 4), 0.1), candidates);
                        perNode.merge(d.candidate().hardware().nodeId(), 1L, Long::sum);
                        policy.observe(d, noise.around(5 + d.index()));
                        if (i % 1000 == 0) {
                            policy.replacePriors(FlatPrior.INSTANCE, "v" + thread + "-" + i);
                        }
                    }
                    return perNode;
                }));
            }
            start.countDown();
            Map<String, Long> perNode = new HashMap<>();
            for (Future<Map<String, Long>> result : results) {
                result.get(60, TimeUnit.SECONDS).forEach((k, v) -> perNode.merge(k, v, Long::sum));
            }

            PolicySnapshot snapshot = policy.snapshot();
            assertThat(snapshot.decisions()).isEqualTo(threads * perThread);
            assertThat(snapshot.observations()).isEqualTo(threads * perThread);
            assertThat(snapshot.decisionsPerNode()).isEqualTo(perNode);
            assertThat(snapshot.decisionsPerPlan().values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(threads * perThread);
            assertThat(snapshot.taskClasses()).extracting(TaskClassStats::decisions)
                    .containsOnly((long) threads * perThread / 4);
            assertThat(snapshot.taskClasses()).extracting(TaskClassStats::observations)
                    .containsOnly((long) threads * perThread / 4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theStalestTaskClassesAndCandidatesAreDroppedPastTheirBounds() {
        Fixtures.ManualClock clock = new Fixtures.ManualClock();
        OnlinePolicySettings small = OnlinePolicySettings.defaults().withMaxTaskClasses(2).withMaxCandidatesPerClass(3);
        OnlinePolicy policy = new OnlinePolicy(FlatPrior.INSTANCE, "v1", small, clock, 1);
        for (int tokens : new int[] {16, 32, 64, 128}) {
            policy.observe(embedding(tokens, 0.1), candidates.get(0), 10);
            clock.advanceMillis(1);
        }
        assertThat(policy.snapshot().taskClasses()).extracting(TaskClassStats::taskClass)
                .allMatch(c -> c.contains("in<=64") || c.contains("in<=128"));

        Decision d = policy.choose(embedding(128, 0.1), candidates); // four candidates in a class that keeps three
        assertThat(candidates).contains(d.candidate());
        assertThat(policy.snapshot().decisions()).isEqualTo(1);
    }
}
