package dev.metaserve.selector.method;

import dev.metaserve.selector.features.DescriptionEmbedder;
import dev.metaserve.selector.features.TaskFeatures;
import dev.metaserve.selector.problem.SelectionProblem;
import java.util.List;
import java.util.Objects;

/**
 * What a method trains on: the training problems (measured), the embedder for descriptions, a seed, and the task
 * features fit on these problems (shared by the task-level baselines, fit once per fold).
 */
public final class TrainingContext {
    /** Principal components kept of a description embedding. */
    public static final int DEFAULT_TEXT_COMPONENTS = 8;

    private final List<SelectionProblem> problems;
    private final DescriptionEmbedder embedder;
    private final int textComponents;
    private final long seed;
    private TaskFeatures taskFeatures;

    public TrainingContext(List<SelectionProblem> problems, DescriptionEmbedder embedder, int textComponents,
            long seed) {
        this.problems = List.copyOf(problems);
        if (this.problems.isEmpty()) {
            throw new IllegalArgumentException("training: no problems to learn from");
        }
        this.embedder = Objects.requireNonNull(embedder, "training: embedder must not be null");
        if (textComponents < 0) {
            throw new IllegalArgumentException("training: text components must be >= 0, was " + textComponents);
        }
        this.textComponents = textComponents;
        this.seed = seed;
    }

    public List<SelectionProblem> problems() {
        return problems;
    }

    public DescriptionEmbedder embedder() {
        return embedder;
    }

    public int textComponents() {
        return textComponents;
    }

    public long seed() {
        return seed;
    }

    /** Task features fit on these problems, made on first use. */
    public synchronized TaskFeatures taskFeatures() {
        if (taskFeatures == null) {
            taskFeatures = TaskFeatures.fit(problems, embedder, textComponents);
        }
        return taskFeatures;
    }
}
