package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareProbeTest {
    @Test
    void readsTheFirstModelNameFromCpuInfo(@TempDir Path dir) throws Exception {
        Path cpuInfo = dir.resolve("cpuinfo");
        Files.writeString(cpuInfo, "processor\t: 0\nmodel name\t: Example CPU @ 3.00GHz\nflags\t: fpu\n"
                + "processor\t: 1\nmodel name\t: Example CPU @ 3.00GHz\n");

        assertThat(HardwareProbe.cpuModel(cpuInfo)).contains("Example CPU @ 3.00GHz");
    }

    @Test
    void anUnreadableCpuInfoGivesNothing(@TempDir Path dir) {
        assertThat(HardwareProbe.cpuModel(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void theHostIsTheMachinesNameSoNodesOnOneMachineReportTheSame() throws Exception {
        String host = HardwareProbe.describe(1).getHost();
        assertThat(host).isNotBlank().isEqualTo(HardwareProbe.describe(2, 5).getHost());
        Path kernelName = Path.of("/proc/sys/kernel/hostname");
        if (Files.isReadable(kernelName)) {
            assertThat(host).isEqualTo(Files.readString(kernelName).trim());
        }
    }
}
