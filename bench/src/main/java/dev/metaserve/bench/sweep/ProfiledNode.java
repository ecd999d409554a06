package dev.metaserve.bench.sweep;

import dev.metaserve.api.node.Hardware;
import dev.metaserve.launcher.LocalCluster;
import dev.metaserve.launcher.ManagedProcess;
import dev.metaserve.selector.store.HardwareProfile;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One node process of a {@link NodeProfile}, started for the sweep and stopped after it: the node registers with the
 * sweep's {@link DescriptorRegistry}, and its descriptor must say it has the profile's hardware (threads, cores, heap,
 * delay) before anything is measured on it.
 */
final class ProfiledNode implements AutoCloseable {
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
    private static final long MIB = 1024 * 1024;

    private final NodeProfile profile;
    private final ManagedProcess process;
    private final ManagedChannel channel;
    private final HardwareProfile hardware;

    private ProfiledNode(NodeProfile profile, ManagedProcess process, ManagedChannel channel, HardwareProfile hardware) {
        this.profile = profile;
        this.process = process;
        this.channel = channel;
        this.hardware = hardware;
    }

    /**
     * Starts the node and waits until it serves and has registered.
     *
     * @param extraArgs node options every profile gets, e.g. {@code --lm bundled}
     * @throws IOException when it does not start, or describes other hardware than the profile asks for
     */
    static ProfiledNode start(Path projectRoot, NodeProfile profile, List<String> extraArgs,
                              DescriptorRegistry registry, Path logDir) throws IOException, InterruptedException {
        registry.forget(profile.nodeId());
        LocalCluster.Node node = LocalCluster.launchNode(projectRoot, profile.nodeId(), registry.target(),
                registry.joinToken(), profile.launch(extraArgs), logDir);
        ManagedChannel channel = null;
        try {
            Hardware descriptor = registry.await(profile.nodeId(), REGISTRATION_TIMEOUT).getHardware();
            HardwareProfile hardware = profile.hardware(describe(profile, descriptor));
            check(profile, descriptor, node.process());
            channel = ManagedChannelBuilder.forTarget(node.target()).usePlaintext().build();
            return new ProfiledNode(profile, node.process(), channel, hardware);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (channel != null) {
                channel.shutdownNow();
            }
            node.process().kill();
            throw e;
        }
    }

    /** The node must report what it was given: otherwise the recorded hardware would be a guess. */
    private static void check(NodeProfile profile, Hardware descriptor, ManagedProcess process) throws IOException {
        List<String> problems = new ArrayList<>();
        if (descriptor.getIntraOpThreads() != profile.intraOpThreads()) {
            problems.add(descriptor.getIntraOpThreads() + " intra-op threads, not " + profile.intraOpThreads());
        }
        if (descriptor.getCpuCores() != profile.cpuCores()) {
            problems.add(descriptor.getCpuCores() + " CPU cores, not " + profile.cpuCores()
                    + (profile.cpuList() == null ? "" : " (was the affinity " + profile.cpuList() + " applied?)"));
        }
        if (descriptor.getInjectedDelayMs() != profile.delayMs()) {
            problems.add("an injected delay of " + descriptor.getInjectedDelayMs() + " ms, not " + profile.delayMs());
        }
        if (descriptor.getMemoryBytes() <= 0 || descriptor.getMemoryBytes() > profile.heapMb() * MIB) {
            problems.add("a heap of " + descriptor.getMemoryBytes() / MIB + " MiB, not at most " + profile.heapMb());
        }
        if (!problems.isEmpty()) {
            throw new IOException("node " + profile.nodeId() + " reports " + String.join("; ", problems)
                    + "; see " + process.log());
        }
    }

    private static String describe(NodeProfile profile, Hardware descriptor) {
        String text = descriptor.getCpuModel() + ", " + descriptor.getOsArch() + "; "
                + (profile.cpuList() == null ? "all " + descriptor.getCpuCores() + " CPUs"
                        : "taskset -c " + profile.cpuList())
                + "; -Xmx" + profile.heapMb() + "m (max heap " + descriptor.getMemoryBytes() / MIB + " MiB)"
                + "; " + descriptor.getIntraOpThreads() + " intra-op threads"
                + (profile.delayMs() == 0 ? "" : "; injected delay " + profile.delayMs() + " ms per call");
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }

    NodeProfile profile() {
        return profile;
    }

    /** What observations on this node are recorded with, its description from the node's own descriptor. */
    HardwareProfile hardware() {
        return hardware;
    }

    ManagedChannel channel() {
        return channel;
    }

    /** The node process, for a shutdown hook that must not leave it running. */
    ManagedProcess process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        process.stop(Duration.ofSeconds(15));
    }
}
