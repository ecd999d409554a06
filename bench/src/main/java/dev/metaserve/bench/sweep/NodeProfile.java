package dev.metaserve.bench.sweep;

import dev.metaserve.launcher.NodeLaunch;
import dev.metaserve.selector.store.HardwareProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One kind of node the sweep measures on: the hardware it is given for real on this machine.
 *
 * @param name           short name; the node registers as {@code sweep-<name>}
 * @param intraOpThreads ONNX Runtime threads within one model run ({@code --intra-op-threads})
 * @param cpuList        CPUs the node process may run on ({@code taskset -c} form), null for all of the machine's
 * @param heapMb         JVM heap limit of the node process ({@code -Xmx}), MiB: the memory limit it is recorded with
 * @param delayMs        delay injected before each call is handled ({@code --inject-delay-ms}): a slow network link
 */
public record NodeProfile(String name, int intraOpThreads, String cpuList, int heapMb, int delayMs) {
    /** The profiles the sweep knows by name; the default grid measures the first three. */
    public static final List<NodeProfile> BUILT_IN = List.of(
            new NodeProfile("fast", 2, null, 1024, 0),
            new NodeProfile("single", 1, "0", 512, 0),
            new NodeProfile("far", 1, null, 1024, 20),
            new NodeProfile("small-heap", 2, null, 192, 0));

    private static final Map<String, NodeProfile> BY_NAME = BUILT_IN.stream()
            .collect(Collectors.toMap(NodeProfile::name, Function.identity()));

    public NodeProfile {
        if (name == null || !name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("node profile name '" + name + "' must be lower-case words joined by -");
        }
        if (intraOpThreads < 1 || heapMb < NodeLaunch.MIN_HEAP_MB || delayMs < 0) {
            throw new IllegalArgumentException("node profile " + name + ": threads must be >= 1, heap >= "
                    + NodeLaunch.MIN_HEAP_MB + " MiB and delay >= 0 ms");
        }
        new NodeLaunch(List.of(), cpuList, heapMb); // checks the CPU list
    }

    /** The built-in profile of this name. */
    public static NodeProfile named(String name) {
        NodeProfile profile = BY_NAME.get(name);
        if (profile == null) {
            throw new IllegalArgumentException("unknown node profile '" + name + "'; known: " + BY_NAME.keySet());
        }
        return profile;
    }

    public String nodeId() {
        return "sweep-" + name;
    }

    /** Cores the node may use: its CPU list, else every core this machine gives the JVM. */
    public int cpuCores() {
        return launch(List.of()).cpuCount().orElse(Runtime.getRuntime().availableProcessors());
    }

    /** How to start the node: this profile's threads, delay, affinity and heap, then {@code extraArgs}. */
    public NodeLaunch launch(List<String> extraArgs) {
        List<String> args = new ArrayList<>(List.of("--intra-op-threads", Integer.toString(intraOpThreads),
                "--inject-delay-ms", Integer.toString(delayMs)));
        args.addAll(extraArgs);
        return new NodeLaunch(args, cpuList, heapMb);
    }

    /** The hardware observations on this node are recorded with (the description is free text for people). */
    public HardwareProfile hardware(String description) {
        return new HardwareProfile(nodeId(), intraOpThreads, cpuCores(), heapMb, delayMs, description);
    }

    /** For people: threads, CPUs, heap and delay. */
    public String summary() {
        return nodeId() + " (" + intraOpThreads + " thread" + (intraOpThreads == 1 ? "" : "s") + ", "
                + (cpuList == null ? "all CPUs" : "CPUs " + cpuList) + ", heap " + heapMb + " MiB"
                + (delayMs == 0 ? "" : ", +" + delayMs + " ms per call") + ")";
    }
}
