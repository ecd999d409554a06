package dev.metaserve.selector.features;

import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.MeasuredCandidate;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.TaskProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Features of a candidate for a task, for the meta-learner: task descriptors, node and plan descriptors with their
 * crossings ({@link CandidateDescriptors}), and the reduced embedding of {@link Descriptions#taskOnNode}.
 */
public final class CandidateFeatures {
    private final DescriptionFeatures text;

    public CandidateFeatures(DescriptionFeatures text) {
        this.text = text;
    }

    /** Fits the description PCA on the training problems' task-on-node descriptions. */
    public static CandidateFeatures fit(List<SelectionProblem> training, DescriptionEmbedder embedder,
            int components) {
        List<String> descriptions = new ArrayList<>();
        for (SelectionProblem p : training) {
            for (MeasuredCandidate m : p.candidates()) {
                descriptions.add(Descriptions.taskOnNode(p.task(), m.candidate().hardware()));
            }
        }
        return new CandidateFeatures(DescriptionFeatures.fit(descriptions, embedder, components));
    }

    public double[] of(TaskProfile task, Candidate candidate) {
        return of(TaskDescriptors.of(task), task, candidate);
    }

    /** As {@link #of(TaskProfile, Candidate)} with the task's descriptors computed once by the caller. */
    public double[] of(double[] taskDescriptors, TaskProfile task, Candidate candidate) {
        double[] plan = CandidateDescriptors.of(task, candidate);
        double[] embedded = text.of(Descriptions.taskOnNode(task, candidate.hardware()));
        double[] out = new double[taskDescriptors.length + plan.length + embedded.length];
        System.arraycopy(taskDescriptors, 0, out, 0, taskDescriptors.length);
        System.arraycopy(plan, 0, out, taskDescriptors.length, plan.length);
        System.arraycopy(embedded, 0, out, taskDescriptors.length + plan.length, embedded.length);
        return out;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(TaskDescriptors.NAMES);
        names.addAll(CandidateDescriptors.NAMES);
        for (int i = 0; i < text.dimension(); i++) {
            names.add("node_text_pc" + i);
        }
        return names;
    }

    public DescriptionFeatures text() {
        return text;
    }
}
