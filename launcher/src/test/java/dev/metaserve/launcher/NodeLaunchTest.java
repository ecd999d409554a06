package dev.metaserve.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes started with a CPU affinity and a heap limit: the built node program, a real process. */
class NodeLaunchTest {
    private static final Path ROOT = Path.of(System.getProperty("metaserve.root", "..")).toAbsolutePath().normalize();

    @Test
    void theCommandRunsJavaUnderTasksetWithTheHeapLimitThenTheLaunchersAndTheNodesOwnArguments() {
        NodeLaunch launch = new NodeLaunch(List.of("--intra-op-threads", "2"), "0-1", 384);

        List<String> command = launch.command("java", Path.of("node.jar"), List.of("--node-id", "n"));

        assertThat(command.get(0)).endsWith("taskset");
        assertThat(command.subList(1, command.size())).containsExactly("-c", "0-1", "java", "-Xmx384m",
                "-Dai.djl.offline=true", "-jar", "node.jar", "--node-id", "n", "--intra-op-threads", "2");
        assertThat(launch.cpuCount()).hasValue(2);
    }

    @Test
    void withoutAffinityOrHeapANodeRunsAsBefore() {
        List<String> command = NodeLaunch.of(List.of("--lm", "bundled")).command("java", Path.of("node.jar"), List.of());

        assertThat(command).containsExactly("java", "-Xmx1024m", "-Dai.djl.offline=true", "-jar", "node.jar", "--lm",
                "bundled");
        assertThat(NodeLaunch.of(List.of()).cpuCount()).isEmpty();
    }

    @Test
    void badCpuListsAndHeapsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> new NodeLaunch(List.of(), "one", null)).hasMessageContaining("'one'");
        assertThatThrownBy(() -> new NodeLaunch(List.of(), "3-1", null)).hasMessageContaining("backwards");
        assertThatThrownBy(() -> new NodeLaunch(List.of(), null, 16)).hasMessageContaining("16");
    }

    @Test
    void aLaunchedNodeRunsOnItsCpuListWithItsHeap(@TempDir Path logs) throws Exception {
        // no registry answers on port 1: the node serves anyway and keeps trying to register in the background
        LocalCluster.Node node = LocalCluster.launchNode(ROOT, "node-pinned", "127.0.0.1:1", "",
                new NodeLaunch(List.of("--int8-model", "none", "--metrics-port", "-1"), "0", 256), logs);
        try (ManagedProcess process = node.process()) {
            assertThat(node.port()).isPositive();
            String commandLine = ProcessHandle.of(process.pid()).orElseThrow().info().commandLine().orElse("");
            assertThat(commandLine).contains("-Xmx256m").contains("--node-id node-pinned");

            Process taskset = new ProcessBuilder("taskset", "-cp", Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            assertThat(taskset.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String affinity = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(affinity).endsWith("current affinity list: 0");
            assertThat(Files.readString(process.log())).contains("node node-pinned serving on 127.0.0.1:");
        }
    }
}
