package dev.metaserve.gateway.selection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.metaserve.api.node.Hardware;
import dev.metaserve.selector.store.HardwareProfile;
import dev.metaserve.selector.store.Objective;
import dev.metaserve.selector.store.TaskProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskProfilesTest {
    private static final String PASSAGE = "The ferry left the harbour an hour late, because the fog had come down"
            + " over the water before dawn. Most passengers stayed inside, reading or sleeping on the long benches,"
            + " while a few stood at the rail and watched gulls follow the wake. By noon the sun broke through, the"
            + " island rose green out of the sea, and the captain rang the bell twice to call everyone below.";

    @Test
    void proseIsProseAndATextThatRepeatsItsStartIsRepetitive() {
        assertThat(TaskProfiles.inputKind(PASSAGE)).isEqualTo(TaskProfile.PROSE);
        // as the sweep builds repetitive prompts: 70% of a text, a blank line, its start again
        String head = PASSAGE.substring(0, (int) (PASSAGE.length() * 0.7));
        String repeated = head + "\n\n" + PASSAGE.substring(0, (int) (PASSAGE.length() * 0.3));
        assertThat(TaskProfiles.inputKind(repeated)).isEqualTo(TaskProfile.REPETITIVE);
        assertThat(TaskProfiles.repeatedTrigramShare("")).isZero();
        assertThat(TaskProfiles.repeatedTrigramShare("one two")).isZero();
        // trigrams "a b c", "b c a", "c a b", "a b c": the last repeats the first
        assertThat(TaskProfiles.repeatedTrigramShare("A b, c a B c")).isEqualTo(0.25);
    }

    @Test
    void tokensAreEstimatedFromUtf8BytesAndSizesComeFromTheRequest() {
        assertThat(TaskProfiles.estimateTokens("")).isEqualTo(1);
        assertThat(TaskProfiles.estimateTokens("abcd")).isEqualTo(1);
        assertThat(TaskProfiles.estimateTokens("abcde")).isEqualTo(2);
        assertThat(TaskProfiles.estimateTokens("café")).isEqualTo(2); // 5 bytes

        TaskProfile embedding = TaskProfiles.embedding("m", List.of("abcdefgh", "abcdefghijkl"), 3,
                Objective.THROUGHPUT, 0.01);
        assertThat(embedding.inputTokens()).isEqualTo(4); // (2 + 3) / 2, rounded: 3, coarse: 4
        assertThat(embedding.textsPerRequest()).isEqualTo(2);
        assertThat(embedding.concurrency()).isEqualTo(4); // 3, coarse
        assertThat(embedding.outputTokens()).isZero();
        assertThat(embedding.objective()).isEqualTo(Objective.THROUGHPUT);
        assertThat(embedding.qualityTolerance()).isEqualTo(0.01);

        TaskProfile generation = TaskProfiles.generation("lm", "Once upon a time", 64, 1, Objective.LATENCY, 0);
        assertThat(generation.taskKind()).isEqualTo(TaskProfile.TEXT_GENERATION);
        assertThat(generation.outputTokens()).isEqualTo(64);
        assertThat(generation.inputTokens()).isEqualTo(4);
        assertThat(generation.concurrency()).isEqualTo(1);
    }

    @Test
    void sizesAreRoundedUpToPowersOfFour() {
        assertThat(TaskProfiles.coarse(0)).isEqualTo(1);
        assertThat(TaskProfiles.coarse(1)).isEqualTo(1);
        assertThat(TaskProfiles.coarse(2)).isEqualTo(4);
        assertThat(TaskProfiles.coarse(8)).isEqualTo(16);
        assertThat(TaskProfiles.coarse(16)).isEqualTo(16);
        assertThat(TaskProfiles.coarse(17)).isEqualTo(64);
        assertThat(TaskProfiles.coarse(117)).isEqualTo(256);
    }

    @Test
    void aNodesHeapIsRecordedAsTheLimitItWasGiven() {
        // a JVM started with -Xmx512m reports a little less as its maximum heap
        HardwareProfile node = CandidateCatalog.hardware("n", Hardware.newBuilder().setIntraOpThreads(1)
                .setCpuCores(1).setMemoryBytes(494L << 20).setInjectedDelayMs(20).setCpuModel("cpu").build());
        assertThat(node.memoryLimitMb()).isEqualTo(512);
        assertThat(node.networkDelayMs()).isEqualTo(20);
        assertThat(CandidateCatalog.hardware("n", Hardware.newBuilder().setMemoryBytes(1024L << 20).build())
                .memoryLimitMb()).isEqualTo(1024);
        HardwareProfile unknown = CandidateCatalog.hardware("n", Hardware.getDefaultInstance());
        assertThat(unknown.memoryLimitMb()).isZero();
        assertThat(unknown.intraOpThreads()).isEqualTo(1);
        assertThat(unknown.cpuCores()).isEqualTo(1);
    }
}
