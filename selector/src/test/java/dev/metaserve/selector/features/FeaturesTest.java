package dev.metaserve.selector.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.problem.Problems;
import dev.metaserve.selector.problem.SelectionProblem;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import dev.metaserve.selector.testing.HashingEmbedder;
import dev.metaserve.selector.testing.SyntheticHistory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FeaturesTest {
    private static final TaskProfile TASK = new TaskProfile("austen-kjv", TaskProfile.TEXT_GENERATION,
            TaskProfile.REPETITIVE, 128, 64, 1, 8, Objective.LATENCY, 0.01);
    private static final HardwareProfile NODE = new HardwareProfile("far", 1, 1, 0, 20, "anything");

    @Test
    void descriptionReadsLikeASentence() {
        assertThat(Descriptions.taskOnNode(TASK, NODE)).isEqualTo("text-generation with austen-kjv, repetitive input"
                + " of 128 tokens, 64 output tokens, 1 text per request, concurrency 8, optimise latency, on a node"
                + " with 1 ONNX Runtime thread, 1 core, 20 ms network delay");
    }

    @Test
    void featuresAreTheSameEveryTimeAndForEveryFit() {
        List<SelectionProblem> problems = Problems.from(SyntheticHistory.generate(1)).problems();
        CandidateFeatures first = CandidateFeatures.fit(problems, new HashingEmbedder(), 6);
        CandidateFeatures second = CandidateFeatures.fit(problems, new HashingEmbedder(), 6);
        Candidate candidate = new Candidate(NODE, Plan.parse("decoding=ngram(4,2)"));

        double[] a = first.of(TASK, candidate);
        assertThat(first.of(TASK, candidate)).containsExactly(a);
        assertThat(second.of(TASK, candidate)).containsExactly(a);
        assertThat(a).hasSize(first.names().size());
        assertThat(first.names()).doesNotHaveDuplicates();
    }

    @Test
    void knownDescriptionsAreEmbeddedOnceAndUnknownOnesOnDemand() {
        AtomicInteger calls = new AtomicInteger();
        DescriptionEmbedder counting = text -> {
            calls.incrementAndGet();
            return new HashingEmbedder().embed(text);
        };
        List<SelectionProblem> problems = Problems.from(SyntheticHistory.generate(1)).problems();
        DescriptionFeatures features = DescriptionFeatures.fit(
                problems.stream().map(p -> Descriptions.task(p.task())).toList(), new CachingEmbedder(counting), 4);
        int afterFit = calls.get();
        String known = Descriptions.task(problems.get(0).task());

        assertThat(features.knows(known)).isTrue();
        features.of(known);
        assertThat(calls.get()).isEqualTo(afterFit);
        features.of(Descriptions.task(TASK));
        features.of(Descriptions.task(TASK));
        assertThat(calls.get()).isEqualTo(afterFit + 1);
        assertThat(features.dimension()).isEqualTo(4);
    }

    @Test
    void withoutAnEmbedderAnUnknownDescriptionIsTheCentre() {
        List<SelectionProblem> problems = Problems.from(SyntheticHistory.generate(1)).problems();
        DescriptionFeatures fitted = DescriptionFeatures.fit(
                problems.stream().map(p -> Descriptions.task(p.task())).toList(), new HashingEmbedder(), 4);
        DescriptionFeatures restored = new DescriptionFeatures(fitted.pca(), fitted.table(), null);

        assertThat(restored.of("never seen")).containsExactly(0, 0, 0, 0);
    }

    @Test
    void pcaComponentsAreOrthonormal() {
        List<SelectionProblem> problems = Problems.from(SyntheticHistory.generate(1)).problems();
        List<float[]> vectors = problems.stream()
                .map(p -> new HashingEmbedder().embed(Descriptions.task(p.task()))).toList();
        Pca pca = Pca.fit(vectors, 5);
        double[][] c = pca.components();
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                double dot = 0;
                for (int k = 0; k < c[i].length; k++) {
                    dot += c[i][k] * c[j][k];
                }
                assertThat(dot).isCloseTo(i == j ? 1 : 0, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }
}
