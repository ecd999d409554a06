package dev.metaserve.selector.store;

/**
 * Where a plan ran: the node and the resources it had.
 *
 * @param nodeId         the node's id, as it registers with the gateway
 * @param intraOpThreads ONNX Runtime threads within one model run, at least 1
 * @param cpuCores       CPU cores the node process may use (visible cores, or its affinity set), at least 1
 * @param memoryLimitMb  memory limit of the node process in MiB; 0 when there is none
 * @param networkDelayMs delay injected between gateway and node, in milliseconds; 0 when none
 * @param description    free text for people (CPU model, container, ...); may be empty; not part of
 *                       {@link ObservationStore#contains} matching
 */
public record HardwareProfile(String nodeId, int intraOpThreads, int cpuCores, long memoryLimitMb, int networkDelayMs,
        String description) {
    static final int MAX_NODE_ID_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 1000;
    private static final String OWNER = "hardware profile";

    public HardwareProfile {
        Checks.text(nodeId, OWNER, "node id", MAX_NODE_ID_LENGTH);
        Checks.atLeast(intraOpThreads, 1, OWNER, "intra-op threads");
        Checks.atLeast(cpuCores, 1, OWNER, "CPU cores");
        Checks.atLeast(memoryLimitMb, 0, OWNER, "memory limit (MiB)");
        Checks.atLeast(networkDelayMs, 0, OWNER, "network delay (ms)");
        Checks.length(description, OWNER, "description", MAX_DESCRIPTION_LENGTH);
    }
}
