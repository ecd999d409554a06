package dev.metaserve.bench.e2e;

import dev.metaserve.bench.ResultsTable;
import com.fasterxml.jackson.databind.JsonNode;
import dev.metaserve.bench.sweep.NodeProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One run of the benchmark: starts the gateway and a node per profile, primes every mode, then measures each phase's
 * modes round by round ({@link RoundOrder}), each mode with all the phase's classes at once ({@link MixedLoad}), and
 * reports ({@link Summary}, {@link SummaryTable}, {@link ResultsDocument}).
 */
public final class SelectorEndToEnd {
    /**
     * @param classNames   only these classes; null for every class of the phases
     * @param modeWords    the modes as {@link ModeSpec} reads them
     * @param openArrivals each class's requests arrive at its rate ({@link OpenLoad}), else closed-loop clients
     *                     ({@link MixedLoad})
     * @param gatewayProps the gateway's extra {@code -D} settings, the selector's store among them
     * @param settlingRounds full rounds before the measured ones, reported apart and left out of the comparison
     */
    public record Settings(Path projectRoot, Set<Phase> phases, List<String> classNames, List<String> modeWords,
                           List<NodeProfile> profiles, String int8Model, long seed, int settlingRounds, int rounds,
                           Duration measure, Duration warmup, Duration priming, boolean openArrivals,
                           List<String> gatewayProps, Path logDir) {
        public Settings {
            phases = Set.copyOf(phases);
            classNames = classNames == null ? null : List.copyOf(classNames);
            modeWords = List.copyOf(modeWords);
            profiles = List.copyOf(profiles);
            gatewayProps = List.copyOf(gatewayProps);
            if (phases.isEmpty() || profiles.isEmpty()) {
                throw new IllegalArgumentException("at least one phase and one node are needed");
            }
        }

        /** What every node gets before its profile's options: both models, the INT8 twin, no metrics port. */
        List<String> nodeArgs() {
            return List.of("--lm", "bundled", "--int8-model", int8Model, "--metrics-port", "-1");
        }
    }

    /** Bootstrap draws of the verdict's uncertainty ({@link MatchUncertainty}). */
    static final int BOOTSTRAP_DRAWS = 2000;

    private final Settings settings;
    private final List<TaskClass> classes;
    private final Map<Phase, List<Mode>> modes;
    private final PrintStream log;

    private SelectorEndToEnd(Settings settings, List<TaskClass> classes, Map<Phase, List<Mode>> modes,
                             PrintStream log) {
        this.settings = settings;
        this.classes = classes;
        this.modes = modes;
        this.log = log;
    }

    /**
     * Makes the task classes (the text pools) and reads the modes, before anything is started.
     *
     * @throws IllegalArgumentException for a class or mode it does not know, or a phase left without classes or modes
     */
    public static SelectorEndToEnd prepare(Settings settings, PrintStream log) {
        Set<Phase> phases = new LinkedHashSet<>();
        for (Phase phase : Phase.values()) {
            if (settings.phases().contains(phase)) {
                phases.add(phase);
            }
        }
        List<TaskClass> all = WorkloadMix.classes(phases);
        List<TaskClass> chosen = all;
        if (settings.classNames() != null) {
            List<String> known = all.stream().map(TaskClass::name).toList();
            for (String name : settings.classNames()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("task class '" + name + "' is not one of " + known);
                }
            }
            chosen = all.stream().filter(c -> settings.classNames().contains(c.name())).toList();
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no task class left to run");
        }
        Map<Phase, List<Mode>> modes = new LinkedHashMap<>();
        for (Map.Entry<Phase, List<Mode>> e : ModeSpec.parse(settings.modeWords(), phases).entrySet()) {
            Phase phase = e.getKey();
            if (chosen.stream().noneMatch(c -> c.phase() == phase)) {
                continue;
            }
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("no mode of the " + phase.label() + " phase was asked for");
            }
            modes.put(phase, e.getValue());
        }
        return new SelectorEndToEnd(settings, chosen, modes, log);
    }

    /** Measures, prints the table on stdout and writes the JSON to {@code out}. */
    public void run(Path out) throws Exception {
        long started = System.nanoTime();
        int runsPerRound = modes.values().stream().mapToInt(List::size).sum();
        double perRun = seconds(settings.warmup()) + seconds(settings.measure());
        // about a second more per run: the window's last requests finish, the next run's clients start
        int allRounds = settings.settlingRounds() + settings.rounds();
        double minutes = runsPerRound * (allRounds * (perRun + 1) + seconds(settings.priming()) + 1) / 60;
        log.printf(Locale.ROOT, "%d classes, %d modes per round x (%d settling + %d measured) rounds of %.0f s,"
                        + " priming %.0f s each: about %.1f minutes after start-up%n", classes.size(), runsPerRound,
                settings.settlingRounds(), settings.rounds(), perRun, seconds(settings.priming()), minutes);
        TextAgreement texts = new TextAgreement();
        Measurements measurements;
        Measurements settling;
        JsonNode selectorAtEnd;
        List<Map<String, Object>> selectorBeforeRuns = new ArrayList<>();
        Map<String, String> nodeNames;
        try (ProfiledCluster cluster = ProfiledCluster.start(settings.projectRoot(), settings.profiles(),
                settings.nodeArgs(), settings.gatewayProps(), settings.logDir())) {
            nodeNames = cluster.profileNames();
            log.println(elapsed(started) + " gateway at " + cluster.httpUri() + " with nodes " + nodeNames
                    + "; logs in " + settings.logDir());
            GatewayClient client = new GatewayClient(cluster.httpUri());
            WorkloadCalls calls = new WorkloadCalls(client, settings.seed());
            measurements = new Measurements(cluster::nameOf);
            settling = new Measurements(cluster::nameOf);
            prime(calls, started);
            measureRounds(calls, settling, measurements, texts, started,
                    () -> client.selectorStatus().path("policy"), selectorBeforeRuns);
            selectorAtEnd = client.selectorStatus().path("policy");
        }
        Summary summary = Summary.of(classes.stream().map(measurements::samples).toList());
        Summary settled = settings.settlingRounds() == 0 ? null
                : Summary.of(classes.stream().map(settling::samples).toList());
        System.out.println();
        System.out.print(SummaryTable.format(summary, classes, measurements, texts));
        if (settled != null) {
            System.out.print(SummaryTable.settling(settled, settings.settlingRounds()));
        }
        List<ClassRounds> measuredRounds = classes.stream().map(measurements::classRounds).toList();
        MatchUncertainty.Verdict verdict = measuredRounds.stream().allMatch(ClassRounds::comparesSelector)
                ? MatchUncertainty.of(measuredRounds, BOOTSTRAP_DRAWS, settings.seed()) : null;
        if (verdict != null) {
            System.out.print(VerdictTable.format(verdict, 1));
        }
        Map<String, Object> document = ResultsTable.document("selector-e2e", setup(nodeNames));
        ResultsDocument.fill(document, summary, measurements, texts);
        if (verdict != null) {
            // how often the comparison above would come out the same way if the rounds had gone otherwise
            document.put("uncertainty", VerdictTable.json(verdict));
        }
        if (settled != null) {
            document.put("settlingRounds", ResultsDocument.settling(settled, settling));
        }
        // what the policy had learnt by the end (per class: decisions, regret, load elasticity per node and batching),
        // node ids as the gateway knows them; the setup maps them to profiles
        document.put("selectorPolicyAtEnd", selectorAtEnd);
        // what it believed as each of its measured runs began (per class, per candidate: idle latency believed, the
        // model's prior, the evidence behind it), to see why a round went wrong
        document.put("selectorPolicyBeforeEachRun", selectorBeforeRuns);
        document.put("durationSeconds", (System.nanoTime() - started) / 1e9);
        ResultsTable.writeJson(out, document);
        System.out.println("written: " + out);
    }

    /** Every mode once, nothing recorded; a mode whose every request fails stops the run here, before measuring. */
    private void prime(WorkloadCalls calls, long started) throws InterruptedException {
        if (settings.priming().isZero()) {
            return;
        }
        for (Phase phase : modes.keySet()) {
            for (Mode mode : modes.get(phase)) {
                checkNotBroken(load(phase, mode, calls, settings.priming(), Duration.ZERO), mode);
                log.println(elapsed(started) + " primed " + phase.label() + " " + mode.name());
            }
        }
    }

    /** What the gateway's selector policy shows now. */
    private interface PolicyProbe {
        JsonNode policy() throws IOException, InterruptedException;
    }

    /**
     * The settling rounds into {@code settling}, then the measured ones into {@code measurements}; each counts its
     * rounds from the first, so the measured rounds keep the order they would have without settling.
     */
    private void measureRounds(WorkloadCalls calls, Measurements settling, Measurements measurements,
            TextAgreement texts, long started, PolicyProbe probe, List<Map<String, Object>> selectorBeforeRuns)
            throws IOException, InterruptedException {
        for (int i = 0; i < settings.settlingRounds() + settings.rounds(); i++) {
            boolean settles = i < settings.settlingRounds();
            int round = settles ? i : i - settings.settlingRounds();
            String label = settles ? String.format(Locale.ROOT, "settling %d/%d", round + 1, settings.settlingRounds())
                    : String.format(Locale.ROOT, "round %d/%d", round + 1, settings.rounds());
            for (Phase phase : modes.keySet()) {
                for (Mode mode : RoundOrder.of(modes.get(phase), round)) {
                    if (mode.equals(Mode.SELECTOR)) {
                        Map<String, Object> before = new LinkedHashMap<>();
                        before.put("round", round + 1);
                        before.put("settling", settles);
                        before.put("phase", phase.label());
                        before.put("policy", probe.policy());
                        selectorBeforeRuns.add(before);
                    }
                    Map<String, MixedLoad.ClassRun> runs = load(phase, mode, calls, settings.warmup(),
                            settings.measure());
                    checkNotBroken(runs, mode);
                    for (TaskClass c : classesOf(phase)) {
                        (settles ? settling : measurements).add(c.name(), mode, runs.get(c.name()));
                        texts.check(c, mode, runs.get(c.name()));
                    }
                    logRun(started, label, phase, mode, runs);
                }
            }
        }
    }

    /** The phase's classes at once under the mode, by open arrivals or closed-loop clients. */
    private Map<String, MixedLoad.ClassRun> load(Phase phase, Mode mode, WorkloadCalls calls, Duration warmup,
            Duration measure) throws InterruptedException {
        List<MixedLoad.ClassLoad> loads = loads(phase, mode, calls);
        return settings.openArrivals() ? OpenLoad.run(loads, warmup, measure, settings.seed())
                : MixedLoad.run(loads, warmup, measure);
    }

    private List<MixedLoad.ClassLoad> loads(Phase phase, Mode mode, WorkloadCalls calls) {
        List<MixedLoad.ClassLoad> loads = new ArrayList<>();
        for (TaskClass c : classesOf(phase)) {
            loads.add(new MixedLoad.ClassLoad(c, calls.call(c, classes.indexOf(c), mode)));
        }
        return loads;
    }

    private List<TaskClass> classesOf(Phase phase) {
        return classes.stream().filter(c -> c.phase() == phase).toList();
    }

    /** A class whose every request failed makes the comparison meaningless: stop, saying why. */
    private static void checkNotBroken(Map<String, MixedLoad.ClassRun> runs, Mode mode) {
        runs.forEach((name, run) -> {
            if (run.broken()) {
                throw new IllegalStateException("every request of " + name + " under " + mode.name() + " failed ("
                        + run.errors() + "), the first with: " + run.firstError());
            }
        });
    }

    private void logRun(long started, String round, Phase phase, Mode mode, Map<String, MixedLoad.ClassRun> runs) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %s %-10s %-46s",
                elapsed(started), round, phase.label(), mode.name()));
        runs.forEach((name, run) -> {
            ModeStats stats = ModeStats.of(run.latenciesNanos());
            line.append(String.format(Locale.ROOT, " | %s %.1f ms n=%d", name, stats.meanMs(), stats.samples()));
            if (run.errors() > 0) {
                line.append(" errors=").append(run.errors());
            }
        });
        log.println(line);
    }

    private Map<String, Object> setup(Map<String, String> nodeNames) {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("settlingRounds", settings.settlingRounds());
        setup.put("rounds", settings.rounds());
        setup.put("measureSecondsPerModeAndRound", seconds(settings.measure()));
        setup.put("warmupSeconds", seconds(settings.warmup()));
        setup.put("primingSeconds", seconds(settings.priming()));
        setup.put("seed", settings.seed());
        setup.put("arrivals", settings.openArrivals() ? "open" : "closed");
        setup.put("matchTolerance", Summary.MATCH_TOLERANCE);
        List<Map<String, Object>> nodes = new ArrayList<>();
        nodeNames.forEach((id, name) -> {
            NodeProfile p = NodeProfile.named(name);
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", id);
            node.put("profile", name);
            node.put("intraOpThreads", p.intraOpThreads());
            node.put("cpuList", p.cpuList());
            node.put("heapMb", p.heapMb());
            node.put("injectedDelayMs", p.delayMs());
            nodes.add(node);
        });
        setup.put("nodes", nodes);
        setup.put("nodeArgs", settings.nodeArgs());
        setup.put("gatewayProps", settings.gatewayProps());
        List<Map<String, Object>> classRows = new ArrayList<>();
        for (TaskClass c : classes) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.name());
            row.put("phase", c.phase().label());
            row.put("model", c.phase().model());
            row.put("description", c.description());
            row.put("textsPerRequest", c.textsPerRequest());
            row.put("outputTokens", c.outputTokens());
            row.put("concurrency", c.concurrency());
            row.put("ratePerSecond", c.ratePerSecond());
            row.put("meanInputTokens", c.pool().meanTokens());
            row.put("poolSize", c.pool().size());
            classRows.add(row);
        }
        setup.put("classes", classRows);
        setup.put("temperature", 0);
        Map<String, Object> modeNames = new LinkedHashMap<>();
        modes.forEach((phase, list) -> modeNames.put(phase.label(), list.stream().map(Mode::name).toList()));
        setup.put("modes", modeNames);
        return setup;
    }

    /** {@code [m:ss]} since the run started, for the progress lines. */
    private static String elapsed(long startedNanos) {
        long s = Math.round((System.nanoTime() - startedNanos) / 1e9);
        return String.format(Locale.ROOT, "[%d:%02d]", s / 60, s % 60);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
