package dev.metaserve.bench.e2e;

import dev.metaserve.bench.sweep.NodeProfile;
import dev.metaserve.launcher.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway and one node per profile (the sweep's hardware: threads, CPU list, heap, injected delay), as separate
 * processes started by {@link LocalCluster}; every node serves both models. Knows which node id is which profile.
 */
final class ProfiledCluster implements AutoCloseable {
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(120);

    private final LocalCluster cluster;
    private final Map<String, String> profileNames;
    /** Stops the processes if this JVM is stopped (Ctrl-C) before {@link #close}: they would run on otherwise. */
    private final Thread stopOnExit;

    private ProfiledCluster(LocalCluster cluster, Map<String, String> profileNames) {
        this.cluster = cluster;
        this.profileNames = profileNames;
        this.stopOnExit = new Thread(() -> {
            try {
                cluster.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "selector-e2e-cluster-stopper");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * @param nodeArgs     options every node gets, before its profile's
     * @param gatewayProps the gateway's extra {@code -D} settings
     */
    static ProfiledCluster start(Path projectRoot, List<NodeProfile> profiles, List<String> nodeArgs,
                                 List<String> gatewayProps, Path logDir) throws IOException, InterruptedException {
        LocalCluster cluster = LocalCluster.start(LocalCluster.Options.defaults(projectRoot)
                .withNodes(0)
                .withNodeArgs(nodeArgs)
                .withGatewayProps(gatewayProps)
                .withLogDir(logDir));
        try {
            Map<String, String> names = new LinkedHashMap<>();
            for (NodeProfile profile : profiles) {
                names.put(cluster.startNode(profile.launch(List.of())).id(), profile.name());
            }
            cluster.awaitNodes(profiles.size(), REGISTRATION_TIMEOUT);
            return new ProfiledCluster(cluster, names);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    URI httpUri() {
        return cluster.httpUri();
    }

    /** The profile name of a node id; the id itself if it is none of ours. */
    String nameOf(String nodeId) {
        return profileNames.getOrDefault(nodeId, nodeId);
    }

    /** Node id to profile name, in start order. */
    Map<String, String> profileNames() {
        return Collections.unmodifiableMap(profileNames);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run, and stops the processes
        }
        cluster.close();
    }
}
