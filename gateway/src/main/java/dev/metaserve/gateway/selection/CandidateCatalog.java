package dev.metaserve.gateway.selection;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.Plan;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.api.node.Hardware;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.gateway.config.GatewayConfig;
import dev.metaserve.gateway.routing.GenerationRouter;
import dev.metaserve.gateway.routing.NodeRegistry;
import dev.metaserve.gateway.routing.RegisteredNode;
import dev.metaserve.selector.problem.Candidate;
import dev.metaserve.selector.store.HardwareProfile;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What the selector may choose among for each model: every live node serving it, times every plan that node can run
 * it with (embeddings: its precisions x the configured batchings; generation: its decodings). Rebuilt when a node joins
 * or leaves, so a decision reads one immutable snapshot, and the same {@link Candidate} instances come back request
 * after request (the policy then finds their beliefs without hashing new objects).
 */
@Startup
@ApplicationScoped
public class CandidateCatalog implements NodeRegistry.Listener {
    private static final Logger LOG = Logger.getLogger(CandidateCatalog.class);
    private static final long MIB = 1024L * 1024L;

    /** A model's candidates and, at the same index, the node each runs on. */
    public record ModelCandidates(List<Candidate> candidates, List<RegisteredNode> nodes) {
        static final ModelCandidates NONE = new ModelCandidates(List.of(), List.of());

        /** The candidates on nodes not in {@code excludedNodeIds} (a retry goes elsewhere). */
        public ModelCandidates excluding(Set<String> excludedNodeIds) {
            if (excludedNodeIds.isEmpty()) {
                return this;
            }
            List<Candidate> keptCandidates = new ArrayList<>();
            List<RegisteredNode> keptNodes = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                if (!excludedNodeIds.contains(nodes.get(i).id())) {
                    keptCandidates.add(candidates.get(i));
                    keptNodes.add(nodes.get(i));
                }
            }
            return new ModelCandidates(keptCandidates, keptNodes);
        }
    }

    private final List<Batching> batchings;
    private final List<Decoding> decodings;
    /** Per node id: the node and its candidates per model. Guarded by this. */
    private final Map<String, NodeCandidates> perNode = new HashMap<>();
    private volatile Map<String, ModelCandidates> perModel = Map.of();

    private record NodeCandidates(RegisteredNode node, Map<String, List<Candidate>> perModel) {}

    public CandidateCatalog(NodeRegistry registry, GatewayConfig config) {
        this.batchings = listed(config.selector().batchings()).stream().map(CandidateCatalog::batching).toList();
        this.decodings = listed(config.selector().decodings()).stream().map(CandidateCatalog::decoding).toList();
        registry.addListener(this);
        registry.nodes().forEach(this::joined);
    }

    private static List<String> listed(String setting) {
        return Arrays.stream(setting.split(";")).map(String::trim).filter(text -> !text.isEmpty()).toList();
    }

    private static Batching batching(String text) {
        try {
            return Batching.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.selector.batchings: " + e.getMessage(), e);
        }
    }

    private static Decoding decoding(String text) {
        try {
            return Decoding.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.selector.decodings: " + e.getMessage(), e);
        }
    }

    /** {@code draft} of {@code draft(4)} or of the template {@code draft(K)}. */
    static String kind(String decoding) {
        int open = decoding.indexOf('(');
        return (open < 0 ? decoding : decoding.substring(0, open)).trim();
    }

    /** The candidates for a model now; empty when no live node serves it. */
    public ModelCandidates of(String model) {
        return perModel.getOrDefault(model, ModelCandidates.NONE);
    }

    /** The candidate for a plan on a node (for a request that named its plan), with the node's hardware. */
    public static Candidate candidate(RegisteredNode node, Plan plan) {
        return new Candidate(hardware(node.id(), node.hardware()), plan);
    }

    @Override
    public synchronized void joined(RegisteredNode node) {
        HardwareProfile hardware = hardware(node.id(), node.hardware());
        Map<String, List<Candidate>> models = new HashMap<>();
        node.models().forEach((name, descriptor) -> models.put(name, plans(node, descriptor).stream()
                .map(plan -> new Candidate(hardware, plan)).toList()));
        perNode.put(node.id(), new NodeCandidates(node, models));
        rebuild();
    }

    @Override
    public synchronized void left(RegisteredNode node, String why) {
        NodeCandidates held = perNode.get(node.id());
        if (held != null && held.node() == node) {
            perNode.remove(node.id());
            rebuild();
        }
    }

    private void rebuild() {
        Map<String, List<Candidate>> candidates = new HashMap<>();
        Map<String, List<RegisteredNode>> nodes = new HashMap<>();
        perNode.values().stream()
                .sorted((a, b) -> a.node().id().compareTo(b.node().id()))
                .forEach(held -> held.perModel().forEach((model, list) -> {
                    for (Candidate c : list) {
                        candidates.computeIfAbsent(model, m -> new ArrayList<>()).add(c);
                        nodes.computeIfAbsent(model, m -> new ArrayList<>()).add(held.node());
                    }
                }));
        Map<String, ModelCandidates> next = new HashMap<>();
        candidates.forEach((model, list) -> next.put(model,
                new ModelCandidates(List.copyOf(list), List.copyOf(nodes.get(model)))));
        perModel = Map.copyOf(next);
    }

    /** The plans a node can run a model with, from what its descriptor says. */
    private List<Plan> plans(RegisteredNode node, ModelDescriptor descriptor) {
        List<Plan> plans = new ArrayList<>();
        if (GenerationRouter.TASK.equals(descriptor.getTask())) {
            List<String> advertised = descriptor.getDecodingsCount() == 0 ? List.of("plain")
                    : descriptor.getDecodingsList();
            Set<String> kinds = new HashSet<>();
            advertised.forEach(text -> kinds.add(kind(text)));
            for (Decoding decoding : decodings) {
                if (kinds.contains(kind(decoding.toString()))) {
                    plans.add(Plan.DEFAULT.withDecoding(decoding));
                }
            }
            if (plans.isEmpty()) {
                LOG.warnf("node %s advertises decodings %s, none of gateway.selector.decodings; it gets no selected"
                        + " generation", node.id(), advertised);
            }
            return plans;
        }
        List<String> precisions = descriptor.getPrecisionsCount() == 0 ? List.of("fp32") : descriptor.getPrecisionsList();
        for (String text : precisions) {
            Precision precision;
            try {
                precision = Precision.parse(text);
            } catch (IllegalArgumentException e) {
                LOG.warnf("node %s advertises precision '%s' the gateway cannot read; not offered: %s", node.id(), text,
                        e.getMessage());
                continue;
            }
            for (Batching batching : batchings) {
                plans.add(new Plan(batching, precision));
            }
        }
        return plans;
    }

    /**
     * The node as the selector describes hardware. Its memory is the JVM's maximum heap, which the JVM reports a little
     * under its {@code -Xmx}; rounded up to a power of two MiB it is the limit the node was given, as the sweep
     * recorded it.
     */
    static HardwareProfile hardware(String nodeId, Hardware h) {
        long mib = h.getMemoryBytes() / MIB;
        long limit = mib <= 0 ? 0 : Long.highestOneBit(mib - 1) << 1;
        return new HardwareProfile(nodeId, Math.max(1, h.getIntraOpThreads()), Math.max(1, h.getCpuCores()),
                mib <= 1 ? Math.max(0, mib) : limit, Math.max(0, h.getInjectedDelayMs()),
                (h.getCpuModel() + " " + h.getOsArch()).trim());
    }
}
