package dev.metaserve.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.bench.sweep.TextPool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Open arrivals: each class arrives at its rate however slowly the others are answered, the same times every run. */
class OpenLoadTest {
    private static final TextPool POOL = new TextPool("short", "prose", List.of("a text"), 2);
    private static final Served SERVED = new Served("n", "p", null);

    private static MixedLoad.ClassLoad load(String pool, double rate, MixedLoad.Call call) {
        TextPool named = new TextPool(pool, POOL.inputKind(), POOL.texts(), POOL.meanTokens());
        return new MixedLoad.ClassLoad(TaskClass.embedding(named, 1, 1, rate), call);
    }

    @Test
    void aSlowClassGetsItsArrivalsAndCountsEachFromItsArrivalWithoutHoldingBackTheOther() throws Exception {
        MixedLoad.Call slow = index -> {
            Thread.sleep(200);
            return SERVED;
        };
        MixedLoad.Call fast = index -> SERVED;
        Map<String, MixedLoad.ClassRun> runs = OpenLoad.run(List.of(load("slow", 40, slow), load("fast", 40, fast)),
                Duration.ZERO, Duration.ofSeconds(1), 7);

        MixedLoad.ClassRun slowRun = runs.get("emb-slow-x1-c1");
        MixedLoad.ClassRun fastRun = runs.get("emb-fast-x1-c1");
        // one closed-loop client would have sent about 5 of the slow class in a second; arrivals come at 40/s
        assertThat(slowRun.completions().size()).isBetween(20, 70);
        assertThat(fastRun.completions().size()).isBetween(20, 70);
        assertThat(java.util.Arrays.stream(slowRun.latenciesNanos()).min().orElseThrow())
                .isGreaterThanOrEqualTo(200_000_000L);
        assertThat(slowRun.errors()).isZero();
    }

    @Test
    void theSameSeedGivesTheSameArrivalsAndOnlyTheWindowIsRecorded() throws Exception {
        MixedLoad.Call call = index -> SERVED;
        int[] arrived = new int[2];
        int[] recorded = new int[2];
        for (int run = 0; run < 2; run++) {
            MixedLoad.ClassRun result = OpenLoad.run(List.of(load("x", 100, call)), Duration.ofMillis(300),
                    Duration.ofMillis(500), 3).get("emb-x-x1-c1");
            arrived[run] = result.succeeded();
            recorded[run] = result.completions().size();
        }
        assertThat(arrived[1]).isEqualTo(arrived[0]);
        assertThat(recorded[1]).isEqualTo(recorded[0]);
        assertThat(recorded[0]).as("warm-up arrivals are served but not recorded").isLessThan(arrived[0]).isPositive();
    }

    @Test
    void aFailedRequestIsCountedWithItsReason() throws Exception {
        MixedLoad.Call failing = index -> {
            throw new IllegalStateException("node says no");
        };
        MixedLoad.ClassRun run = OpenLoad.run(List.of(load("bad", 50, failing)), Duration.ZERO,
                Duration.ofMillis(300), 1).get("emb-bad-x1-c1");
        assertThat(run.errors()).isPositive();
        assertThat(run.broken()).isTrue();
        assertThat(run.firstError()).contains("node says no");
    }
}
