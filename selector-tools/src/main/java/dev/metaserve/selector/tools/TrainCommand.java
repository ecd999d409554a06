package dev.metaserve.selector.tools;

import dev.metaserve.selector.learn.MetaLearnerSettings;
import dev.metaserve.selector.model.ModelFormatException;
import dev.metaserve.selector.model.SelectorModel;
import dev.metaserve.selector.model.SelectorModelFile;
import dev.metaserve.selector.model.SelectorTraining;
import dev.metaserve.selector.problem.ProblemSet;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.problem.SelectionQuery;
import dev.metaserve.selector.store.Observation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code selector train}: learns the selector model from every observation and writes the model file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the selector model on all observations and write it to a model file.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "model file to write")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, ModelFormatException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<Observation> observations = data.observations();
        ProblemSet problems = Problems.from(observations);
        if (problems.problems().isEmpty()) {
            throw new ToolException(data.sources() + " holds no selection problem (" + observations.size()
                    + " observations)");
        }
        stderr.printf("%d observations: %d problems in %d cells%n", observations.size(), problems.problems().size(),
                problems.cells());
        MetaLearnerSettings settings = MetaLearnerSettings.DEFAULT;
        SelectorModel model;
        long start = System.nanoTime();
        try (DataOptions.Embedder embedder = data.openEmbedder()) {
            String summary = "from " + data.sources() + "; " + settings + "; text components " + data.textComponents
                    + " of " + embedder.name() + "; seed " + data.seed;
            model = SelectorTraining.train(problems, embedder.embedder(), settings, data.textComponents, data.seed,
                    Instant.now(), summary);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        SelectorModelFile.write(model, out);
        SelectorModel loaded = SelectorModelFile.read(out);
        for (SelectionProblem p : problems.problems()) {
            SelectionQuery q = p.query();
            if (loaded.choose(q.task(), q.candidates()) != model.choose(q.task(), q.candidates())) {
                throw new ToolException("the model read back from " + out + " chooses differently from the one"
                        + " trained, on " + p + "; this is a bug");
            }
        }
        stdout.printf("wrote %s: model %s, %d bytes, trained in %.1f s on %d observations (%d problems)%n", out,
                model.header().modelId(), Files.size(out), seconds, observations.size(), problems.problems().size());
        stdout.println(DecisionTiming.measure(out, problems.problems()).describe());
        return 0;
    }
}
