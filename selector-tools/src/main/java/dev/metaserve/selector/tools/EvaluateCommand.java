package dev.metaserve.selector.tools;

import dev.metaserve.selector.baselines.Alors;
import dev.metaserve.selector.baselines.Baselines;
import dev.metaserve.selector.baselines.Isac;
import dev.metaserve.selector.baselines.RandomChoice;
import dev.metaserve.selector.baselines.SingleBest;
import dev.metaserve.selector.eval.EvaluationReport;
import dev.metaserve.selector.eval.LeaveTaskOutEvaluation;
import dev.metaserve.selector.eval.MethodResult;
import dev.metaserve.selector.eval.ReportJson;
import dev.metaserve.selector.eval.Repeatability;
import dev.metaserve.selector.eval.ReportTable;
import dev.metaserve.selector.eval.WinTable;
import dev.metaserve.selector.learn.MetaLearner;
import dev.metaserve.selector.learn.MetaLearnerSettings;
import dev.metaserve.selector.method.SelectionMethod;
import dev.metaserve.selector.problem.ProblemSet;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.Observation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code selector evaluate}: leave-task-out cross-validation of ours and every baseline, as a table and JSON. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Leave-task-out evaluation of the meta-learner and the baselines: top-1 accuracy, mean and p90"
                + " regret per method, and who wins where.")
final class EvaluateCommand implements Callable<Integer> {
    /** Ours and its ablation, then the baselines, by name. */
    static final List<String> METHODS = List.of("metainf", "metainf-no-text", "random", "single-best", "isac",
            "alors", "random-forest", "gradient-boosting");

    @Mixin
    DataOptions data;

    @Option(names = "--out", defaultValue = "bench/results/selector-evaluation.json", paramLabel = "JSON",
            description = "report to write; default ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "methods to run, comma-separated; default all: metainf, metainf-no-text, random,"
                    + " single-best, isac, alors, random-forest, gradient-boosting")
    List<String> methods;

    @Option(names = "--threads", defaultValue = "2", description = "folds run at once; default ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--wins", defaultValue = "20", description = "rows of the who-wins table printed; default"
            + " ${DEFAULT-VALUE} (all are in the JSON)")
    int winRows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<SelectionMethod> chosen = methods(methods == null ? METHODS : methods);
        List<Observation> observations = data.observations();
        ProblemSet set = Problems.from(observations);
        List<SelectionProblem> problems = set.problems();
        if (set.cells() < 2) {
            throw new ToolException(data.sources() + " has " + set.cells() + " measurement cell(s); leave-task-out"
                    + " needs at least 2");
        }
        stderr.printf("%d observations: %d problems in %d cells; %d methods, %d folds on %d threads%n",
                observations.size(), problems.size(), set.cells(), chosen.size(), set.cells(), threads);
        List<MethodResult> results;
        String embedderName;
        try (DataOptions.Embedder embedder = data.openEmbedder()) {
            embedderName = embedder.name();
            results = new LeaveTaskOutEvaluation(chosen, embedder.embedder(), data.textComponents, data.seed,
                    threads, line -> {
                        synchronized (stderr) {
                            stderr.println(line);
                            stderr.flush();
                        }
                    }).run(problems);
        }
        List<WinTable.Row> wins = WinTable.of(problems);
        EvaluationReport.Data summary = new EvaluationReport.Data(observations.size(), problems.size(), set.cells(),
                (int) problems.stream().flatMap(p -> p.candidates().stream().map(m -> m.candidate().key()))
                        .distinct().count(),
                set.withoutFeasible().size(), (int) wins.stream().filter(r -> r.bestOn() > 0).count(),
                wins.isEmpty() ? 0 : wins.get(0).bestOn() / (double) problems.size(),
                shareWithRunnerUpWithin(problems, 0.02), shareWithRunnerUpWithin(problems, 0.05));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", data.seed);
        settings.put("embedder", embedderName);
        settings.put("textComponents", data.textComponents);
        settings.put("threads", threads);
        settings.put("metainf", MetaLearnerSettings.DEFAULT.toString());
        settings.put("machine", Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version"));
        EvaluationReport report = new EvaluationReport("selector leave-task-out", Instant.now().toString(),
                data.sources(), summary, EvaluationReport.standardDefinitions(), settings, results,
                Repeatability.of(observations).orElse(null),
                Repeatability.resampled(observations, data.seed).orElse(null), wins);
        stdout.print(ReportTable.format(report, winRows));
        ReportJson.write(report, out);
        stdout.println("wrote " + out);
        return 0;
    }

    static List<SelectionMethod> methods(List<String> names) {
        List<SelectionMethod> list = new ArrayList<>();
        for (String name : names) {
            list.add(switch (name.strip()) {
                case "metainf" -> new MetaLearner("metainf", MetaLearnerSettings.DEFAULT);
                case "metainf-no-text" -> new MetaLearner("metainf-no-text", MetaLearnerSettings.DEFAULT.withoutText());
                case "metainf-neighbours" -> new MetaLearner("metainf-neighbours",
                        MetaLearnerSettings.DEFAULT.withNeighbours(2));
                case "metainf-pairwise" -> new MetaLearner("metainf-pairwise",
                        MetaLearnerSettings.DEFAULT.withPairwise(!MetaLearnerSettings.DEFAULT.pairwise()));
                case "random" -> new RandomChoice();
                case "single-best" -> new SingleBest();
                case "isac" -> new Isac();
                case "alors" -> new Alors(Baselines.DEFAULT_TREES);
                case "random-forest" -> Baselines.randomForest(Baselines.DEFAULT_TREES);
                case "gradient-boosting" -> Baselines.gradientBoosting(Baselines.DEFAULT_TREES);
                default -> throw new ToolException("unknown method '" + name + "'; known: " + String.join(", ", METHODS)
                        + ", and the variants metainf-neighbours, metainf-pairwise");
            });
        }
        if (list.isEmpty()) {
            throw new ToolException("--methods names no method");
        }
        return list;
    }

    private static double shareWithRunnerUpWithin(List<SelectionProblem> problems, double regret) {
        return problems.isEmpty() ? 0
                : problems.stream().filter(p -> p.runnerUpWithin(regret)).count() / (double) problems.size();
    }
}
