package dev.metaserve.selector.online;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Tasks, candidates, a hand-driven clock and noisy latencies for the online policy's tests. */
final class Fixtures {
    static final Plan FP32 = Plan.parse("batching=none,precision=fp32");
    static final Plan INT8 = Plan.parse("batching=none,precision=int8");
    static final Plan FP32_BATCHED = Plan.parse("batching=dynamic(8,2000),precision=fp32");

    private Fixtures() {}

    static TaskProfile embedding(int inputTokens, double tolerance) {
        return new TaskProfile("all-minilm-l6-v2", TaskProfile.EMBEDDING, TaskProfile.PROSE, inputTokens, 0, 8, 4,
                Objective.LATENCY, tolerance);
    }

    static TaskProfile embedding() {
        return embedding(32, 0.01);
    }

    static Candidate candidate(String node, Plan plan) {
        return new Candidate(new HardwareProfile(node, 1, 2, 0, 0, "test node"), plan);
    }

    /** A clock the test moves; starts at an arbitrary reading, as {@code System.nanoTime} does. */
    static final class ManualClock implements LongSupplier {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

        @Override
        public long getAsLong() {
            return nanos.get();
        }

        void advanceMillis(double millis) {
            nanos.addAndGet((long) (millis * 1_000_000));
        }
    }

    /** Latencies around a median, log-normal with spread {@code sd}. */
    static final class Noise {
        private final SplittableRandom random;
        private final double sd;

        Noise(long seed, double sd) {
            this.random = new SplittableRandom(seed);
            this.sd = sd;
        }

        double around(double medianMs) {
            return medianMs * Math.exp(sd * random.nextGaussian());
        }
    }
}
