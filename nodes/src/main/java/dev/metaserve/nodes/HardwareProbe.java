package dev.metaserve.nodes;

import dev.metaserve.api.node.Hardware;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What this machine is, as the node reports it on registration. CPU only: the accelerator is always "none". Cores are
 * those the JVM may use (its CPU affinity set, e.g. under {@code taskset}), memory is the JVM's heap limit, the host is
 * the machine's name (nodes on one machine share its CPUs).
 */
public final class HardwareProbe {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final Path KERNEL_HOST_NAME = Path.of("/proc/sys/kernel/hostname");

    private HardwareProbe() {}

    public static Hardware describe(int intraOpThreads) {
        return describe(intraOpThreads, 0);
    }

    /**
     * @param injectedDelayMs the delay the node adds before handling each call ({@code --inject-delay-ms}), reported
     *                        so that a slow link it simulates is part of what the node says it is
     */
    public static Hardware describe(int intraOpThreads, int injectedDelayMs) {
        if (injectedDelayMs < 0) {
            throw new IllegalArgumentException("injected delay must be >= 0 ms, was " + injectedDelayMs);
        }
        String arch = System.getProperty("os.arch", "unknown");
        return Hardware.newBuilder()
                .setCpuModel(cpuModel(CPU_INFO).orElse(arch))
                .setCpuCores(Runtime.getRuntime().availableProcessors())
                .setMemoryBytes(Runtime.getRuntime().maxMemory())
                .setAccelerator("none")
                .setIntraOpThreads(intraOpThreads)
                .setOsArch(arch)
                .setInjectedDelayMs(injectedDelayMs)
                .setHost(hostName())
                .build();
    }

    /**
     * This machine's host name (the kernel's, so no name lookup is needed); empty when it cannot be found (the gateway
     * then takes the node to be alone on its machine).
     */
    static String hostName() {
        try {
            return Files.readString(KERNEL_HOST_NAME).trim();
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException unknown) {
                return "";
            }
        }
    }

    /** The first "model name" line of a cpuinfo file, if it can be read. */
    static Optional<String> cpuModel(Path cpuInfo) {
        try (Stream<String> lines = Files.lines(cpuInfo)) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .filter(model -> !model.isEmpty())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
