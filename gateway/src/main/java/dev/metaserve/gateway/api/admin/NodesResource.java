package dev.metaserve.gateway.api.admin;

import dev.metaserve.gateway.routing.NodeRegistry;
import dev.metaserve.gateway.routing.RegisteredNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;

/** {@code GET /admin/nodes}: the live nodes, their hardware, models and load. */
@Path("/admin/nodes")
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {
    private final NodeRegistry registry;

    public NodesResource(NodeRegistry registry) {
        this.registry = registry;
    }

    @GET
    public List<NodeView> list() {
        return registry.nodes().stream()
                .sorted(Comparator.comparing(RegisteredNode::id))
                .map(NodeView::of)
                .toList();
    }

    public record NodeView(String id, String address, String registeredAt, String leaseExpiry, List<String> models,
                           HardwareView hardware, HostView host, int inFlight, int queueDepth, double recentLatencyMs,
                           long completed) {
        static NodeView of(RegisteredNode n) {
            var h = n.hardware();
            var load = n.reportedLoad();
            return new NodeView(n.id(), n.address(), n.registeredAt().toString(), n.leaseExpiry().toString(),
                    List.copyOf(new java.util.TreeSet<>(n.models().keySet())),
                    new HardwareView(h.getCpuModel(), h.getCpuCores(), h.getMemoryBytes(), h.getAccelerator(),
                            h.getIntraOpThreads(), h.getOsArch(), h.getInjectedDelayMs(), h.getHost()),
                    new HostView(n.host().name(), n.host().cores(), n.host().busyCores()), n.inFlight(), load.getQueueDepth(), load.getRecentLatencyMs(), load.getCompleted());
        }
    }

    public record HardwareView(String cpuModel, int cpuCores, long memoryBytes, String accelerator, int intraOpThreads,
                               String osArch, int injectedDelayMs, String host) {}

    /**
     * The machine the node shares with the other nodes that report it (a node that reports none is alone on one named
     * after it in brackets): its cores and how many the calls open to its nodes keep busy.
     */
    public record HostView(String name, int cores, int busyCores) {}
}
