package dev.metaserve.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How one node process is started, beyond what every node gets: its own arguments, the CPUs it may run on and its
 * JVM heap. These make nodes on one machine differ for real, as machines do.
 *
 * @param args    node options, e.g. {@code --intra-op-threads 2 --inject-delay-ms 20}
 * @param cpuList CPUs the process may run on, in {@code taskset -c} form ({@code 1}, {@code 0,1}, {@code 0-3}); null
 *                for no affinity. Needs util-linux {@code taskset}
 * @param heapMb  JVM heap limit ({@code -Xmx}) in MiB; null for the default, {@value #DEFAULT_HEAP_MB} MiB
 */
public record NodeLaunch(List<String> args, String cpuList, Integer heapMb) {
    /** Heap of a node started without a limit of its own. */
    public static final int DEFAULT_HEAP_MB = 1024;
    /** Smallest heap accepted: a node holds model files in its heap while it loads them. */
    public static final int MIN_HEAP_MB = 64;

    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

    public NodeLaunch {
        args = List.copyOf(args == null ? List.of() : args);
        if (cpuList != null) {
            cpuList = cpuList.strip();
            if (!CPU_LIST.matcher(cpuList).matches()) {
                throw new IllegalArgumentException("CPU list '" + cpuList + "' is not in taskset -c form, e.g. '1',"
                        + " '0,1' or '0-3'");
            }
            cpus(cpuList);
        }
        if (heapMb != null && heapMb < MIN_HEAP_MB) {
            throw new IllegalArgumentException("heap must be at least " + MIN_HEAP_MB + " MiB, was " + heapMb);
        }
    }

    /** A node with these arguments, no affinity and the default heap. */
    public static NodeLaunch of(List<String> args) {
        return new NodeLaunch(args, null, null);
    }

    /** The heap limit in MiB this launch gives the JVM. */
    public int effectiveHeapMb() {
        return heapMb == null ? DEFAULT_HEAP_MB : heapMb;
    }

    /** How many CPUs the list names; empty when there is no affinity. */
    public OptionalInt cpuCount() {
        return cpuList == null ? OptionalInt.empty() : OptionalInt.of(cpus(cpuList).size());
    }

    /**
     * The command: {@code [taskset -c LIST] java -XmxNm -Dai.djl.offline=true -jar NODE_JAR} then {@code nodeOptions}
     * (what the launcher sets: id, ports, gateway) and then this launch's own {@link #args}.
     */
    public List<String> command(String java, Path nodeJar, List<String> nodeOptions) {
        List<String> command = new ArrayList<>();
        if (cpuList != null) {
            command.addAll(List.of(taskset(), "-c", cpuList));
        }
        command.addAll(List.of(java, "-Xmx" + effectiveHeapMb() + "m", "-Dai.djl.offline=true", "-jar",
                nodeJar.toString()));
        command.addAll(nodeOptions);
        command.addAll(args);
        return command;
    }

    private static TreeSet<Integer> cpus(String list) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : list.split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
            if (to < from) {
                throw new IllegalArgumentException("CPU list '" + list + "': range '" + part + "' runs backwards");
            }
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    /** util-linux {@code taskset} from the PATH (Debian: package util-linux). */
    private static String taskset() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "taskset");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("CPU affinity needs 'taskset' (util-linux), which is not on the PATH");
    }
}
