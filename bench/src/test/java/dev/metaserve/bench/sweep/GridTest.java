package dev.metaserve.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridTest {
    @Test
    void theDefaultGridHas408CellsOfRealTextAtTheLengthsItNames() {
        List<Cell> cells = SweepGrid.cells(GridSpec.DEFAULT);

        assertThat(cells).hasSize(3 * (2 * 2 * 3 * 6 + 2 * 2 * 2 * 2 * 4));
        assertThat(cells).extracting(c -> c.workload().pool().name()).contains("short", "long", "prose-16",
                "prose-128", "repetitive-16", "repetitive-128");
        for (Cell cell : cells) {
            int tokens = cell.workload().pool().meanTokens();
            switch (cell.workload().pool().name()) {
                case "short" -> assertThat(tokens).isBetween(8, 12);
                case "long" -> assertThat(tokens).isBetween(100, 180);
                case "prose-16", "repetitive-16" -> assertThat(tokens).isBetween(14, 18);
                default -> assertThat(tokens).isBetween(120, 136);
            }
        }
        assertThat(cells.get(0).task(Objective.LATENCY, 0).taskKind())
                .isEqualTo(TaskProfile.EMBEDDING);
    }

    @Test
    void repetitivePromptsRepeatTheirOwnStart() {
        TextPool pool = GenerationTexts.bundled().pool(GenerationTexts.REPETITIVE, 128);

        for (String prompt : pool.texts()) {
            String[] parts = prompt.split("\n\n");
            String repeat = parts[parts.length - 1];
            assertThat(prompt.substring(0, prompt.length() - repeat.length() - 2)).startsWith(repeat);
        }
    }

    @Test
    void modelsProfilesAndGenerationPlansAreChecked() {
        assertThat(SweepGrid.cells(GridSpec.SMALL.withModels(Set.of("austen-kjv"))
                .withProfiles(List.of(NodeProfile.named("single"))))).hasSize(2);
        assertThatThrownBy(() -> NodeProfile.named("huge")).hasMessageContaining("unknown node profile 'huge'");
        assertThatThrownBy(() -> GridSpec.SMALL.withModels(Set.of("gpt-5"))).hasMessageContaining("gpt-5");
        assertThatThrownBy(() -> GridSpec.SMALL.withGenerationPlans(GridSpec.plans("precision=int8,decoding=plain")))
                .hasMessageContaining("may choose only the decoding");
    }
}
