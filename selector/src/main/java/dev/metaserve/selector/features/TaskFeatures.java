package dev.metaserve.selector.features;

import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Features of a task alone, for the methods that map a task to a candidate (ISAC, ALORS, the classifiers): the
 * numeric {@link TaskDescriptors} and the reduced embedding of {@link Descriptions#task}.
 */
public final class TaskFeatures {
    private final DescriptionFeatures text;

    public TaskFeatures(DescriptionFeatures text) {
        this.text = text;
    }

    /** Fits the description PCA on the training problems' task descriptions. */
    public static TaskFeatures fit(List<SelectionProblem> training, DescriptionEmbedder embedder, int components) {
        List<String> descriptions = training.stream().map(p -> Descriptions.task(p.task())).toList();
        return new TaskFeatures(DescriptionFeatures.fit(descriptions, embedder, components));
    }

    public double[] of(TaskProfile task) {
        double[] numeric = TaskDescriptors.of(task);
        double[] embedded = text.of(Descriptions.task(task));
        double[] out = new double[numeric.length + embedded.length];
        System.arraycopy(numeric, 0, out, 0, numeric.length);
        System.arraycopy(embedded, 0, out, numeric.length, embedded.length);
        return out;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(TaskDescriptors.NAMES);
        for (int i = 0; i < text.dimension(); i++) {
            names.add("task_text_pc" + i);
        }
        return names;
    }
}
