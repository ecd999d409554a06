package dev.metaserve.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {
    @TempDir
    Path dir;

    @Test
    void aChildDoesNotOutliveTheProgramThatStartedItWhenThatIsTerminated() throws Exception {
        Process parent = new ProcessBuilder(List.of(LocalCluster.java(), "-cp", System.getProperty("java.class.path"),
                ChildStarter.class.getName(), dir.toString())).redirectErrorStream(true).start();
        long childPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the parent's first line").startsWith("child ");
            childPid = Long.parseLong(line.substring("child ".length()).trim());
        }
        Optional<ProcessHandle> child = ProcessHandle.of(childPid);
        assertThat(child).as("child running").isPresent();
        assertThat(child.get().isAlive()).isTrue();

        parent.destroy(); // SIGTERM, as Ctrl-C or a service manager would
        assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();

        child.get().onExit().get(30, TimeUnit.SECONDS);
        assertThat(child.get().isAlive()).isFalse();
    }
}
