package dev.metaserve.bench.jmh;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.selector.online.Decision;
import dev.metaserve.selector.online.Estimate;
import dev.metaserve.selector.online.Exploration;
import dev.metaserve.selector.online.OnlinePolicy;
import dev.metaserve.selector.online.OnlinePolicySettings;
import dev.metaserve.selector.online.PriorSource;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time of one {@link OnlinePolicy#choose} on a warmed-up policy: nodes times six embedding plans, a few hundred task
 * classes each with live evidence, requests cycling through the classes. Thompson sampling against greedy (the lowest
 * posterior mean) on the same state, so their ratio shows what sampling costs. {@code candidateObjects=fresh} hands
 * in equal but new {@code Candidate} objects on every call (the policy must hash them), {@code reused} the same ones.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SelectorDecisionBenchmark {
    /** Six embedding plans: precision times batching, with a made-up speed factor each. */
    private static final String[] PLANS = {"batching=none,precision=fp32", "batching=dynamic(8,2000),precision=fp32",
        "batching=dynamic(32,5000),precision=fp32", "batching=none,precision=int8",
        "batching=dynamic(8,2000),precision=int8", "batching=dynamic(32,5000),precision=int8"};
    private static final double[] PLAN_FACTOR = {1.0, 0.8, 0.9, 0.6, 0.5, 0.55};
    private static final double[] NODE_FACTOR = {1.0, 1.3, 0.8, 2.0};
    private static final int PLANS_PER_NODE = PLANS.length;

    @State(Scope.Benchmark)
    public static class Policy {
        @Param({"THOMPSON", "GREEDY"})
        public String exploration;

        /** 12 = 2 nodes x 6 plans, 24 = 4 nodes x 6 plans. */
        @Param({"12", "24"})
        public int candidates;

        @Param({"reused", "fresh"})
        public String candidateObjects;

        @Param({"300"})
        public int taskClasses;

        /**
         * {@code plain}: {@code choose(task, candidates)}; {@code gateway}: as the gateway decides, with 2 plans open per
         * node and a load offset per candidate, computed per call.
         */
        @Param({"plain", "gateway"})
        public String shape;

        OnlinePolicy policy;
        TaskProfile[] tasks;
        List<List<Candidate>> lists;

        @Setup(Level.Trial)
        public void warmUp() {
            if (candidates % PLANS_PER_NODE != 0 || candidates / PLANS_PER_NODE > NODE_FACTOR.length) {
                throw new IllegalArgumentException("candidates must be 6, 12, 18 or 24, was " + candidates);
            }
            OnlinePolicySettings settings = OnlinePolicySettings.defaults()
                    .withExploration(Exploration.valueOf(exploration))
                    .withPlansPerNode(shape.equals("gateway") ? 2 : 0);
            policy = new OnlinePolicy(priors(), "bench", settings, System::nanoTime, 2024);
            tasks = tasks(taskClasses);
            lists = List.of(candidateList(candidates), candidateList(candidates));
            SplittableRandom noise = new SplittableRandom(7);
            for (int round = 0; round < 60; round++) {
                for (TaskProfile task : tasks) {
                    Decision d = policy.choose(task, lists.get(0));
                    policy.observe(d, latencyMs(task, d.candidate(), noise));
                }
            }
        }

        /** The list for a call; with fresh objects, each class gets the other list than on its last call. */
        List<Candidate> list(int call) {
            return candidateObjects.equals("fresh") ? lists.get((call / tasks.length) & 1) : lists.get(0);
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public Decision choose(Policy state, Cursor cursor) {
        int call = cursor.next++;
        TaskProfile task = state.tasks[Math.floorMod(call, state.tasks.length)];
        List<Candidate> list = state.list(call);
        if (state.shape.equals("plain")) {
            return state.policy.choose(task, list);
        }
        double[] offsets = new double[list.size()]; // as PlanSelector: the log of each node's load factor, per call
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = Math.log(1.0 + ((call + i / PLANS_PER_NODE) & 3));
        }
        return state.policy.choose(task, list, offsets);
    }

    /** A stand-in for the offline model: INT8 is expected faster and to lose 0.02 of quality. */
    static PriorSource priors() {
        return (task, c) -> {
            int plan = planIndex(c.plan());
            boolean int8 = c.plan().precision() == Precision.INT8;
            return new Estimate(Math.log(PLAN_FACTOR[plan]), 0.25, int8 ? 0.02 : 0);
        };
    }

    /** Distinct task classes: input tokens, texts per request and concurrency in powers of two, two objectives. */
    static TaskProfile[] tasks(int count) {
        List<TaskProfile> out = new ArrayList<>();
        for (Objective objective : Objective.values()) {
            for (int tokens = 8; tokens <= 512; tokens *= 2) {
                for (int texts = 1; texts <= 32; texts *= 2) {
                    for (int concurrency = 1; concurrency <= 16; concurrency *= 2) {
                        // tolerances alternate, so INT8 is allowed for some tasks and not for others
                        double tolerance = out.size() % 2 == 0 ? 0.01 : 0.05;
                        out.add(new TaskProfile("all-minilm-l6-v2", TaskProfile.EMBEDDING, TaskProfile.PROSE, tokens, 0,
                                texts, concurrency, objective, tolerance));
                    }
                }
            }
        }
        if (count > out.size()) {
            throw new IllegalArgumentException("at most " + out.size() + " task classes, asked for " + count);
        }
        return out.subList(0, count).toArray(TaskProfile[]::new);
    }

    static List<Candidate> candidateList(int count) {
        List<Candidate> out = new ArrayList<>(count);
        for (int node = 0; node < count / PLANS_PER_NODE; node++) {
            HardwareProfile hardware = new HardwareProfile("node-" + node, 2, 2, 0, 0, "bench node " + node);
            for (String plan : PLANS) {
                out.add(new Candidate(hardware, Plan.parse(plan)));
            }
        }
        return List.copyOf(out);
    }

    static double latencyMs(TaskProfile task, Candidate c, SplittableRandom noise) {
        int node = Integer.parseInt(c.hardware().nodeId().substring("node-".length()));
        double base = 2 + 0.01 * task.inputTokens() * task.textsPerRequest();
        return base * NODE_FACTOR[node] * PLAN_FACTOR[planIndex(c.plan())] * Math.exp(0.2 * noise.nextGaussian());
    }

    private static int planIndex(Plan plan) {
        String text = plan.toString();
        for (int i = 0; i < PLANS.length; i++) {
            if (PLANS[i].equals(text)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown plan " + text);
    }
}
