package dev.metaserve.selector.problem;

import dev.metaserve.selector.store.HardwareProfile;

/**
 * The resources of a node, without its id or free-text description: two nodes with the same spec are
 * interchangeable for learning.
 *
 * @param intraOpThreads ONNX Runtime threads within one model run
 * @param cpuCores       cores the node process may use
 * @param memoryLimitMb  memory limit in MiB, 0 when none
 * @param networkDelayMs delay between gateway and node in ms
 */
public record NodeSpec(int intraOpThreads, int cpuCores, long memoryLimitMb, int networkDelayMs) {

    public static NodeSpec of(HardwareProfile hardware) {
        return new NodeSpec(hardware.intraOpThreads(), hardware.cpuCores(), hardware.memoryLimitMb(),
                hardware.networkDelayMs());
    }

    @Override
    public String toString() {
        return "threads=" + intraOpThreads + ",cores=" + cpuCores + ",memMb=" + memoryLimitMb + ",delayMs="
                + networkDelayMs;
    }
}
