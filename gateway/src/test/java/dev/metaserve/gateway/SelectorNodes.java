package dev.metaserve.gateway;

import dev.metaserve.nodes.NodeAgent;
import dev.metaserve.nodes.NodeSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * Two real embedding nodes in the test JVM for the selector's tests, {@value #A} and {@value #B}; a test can make one
 * slow with {@link #injectDelay}. Named with {@code @WithTestResource}, never globally (see {@link InProcessNode}).
 */
public class SelectorNodes implements QuarkusTestResourceLifecycleManager {
    static final String A = "sel-node-a";
    static final String B = "sel-node-b";
    private static volatile NodeAgent a;
    private static volatile NodeAgent b;

    @Override
    public Map<String, String> start() {
        int grpcPort = InProcessNode.freePort();
        try {
            a = NodeAgent.start(settings(A, grpcPort));
            b = NodeAgent.start(settings(B, grpcPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.grpc.server.test-port", Integer.toString(grpcPort),
                "gateway.join-token", InProcessNode.JOIN_TOKEN);
    }

    private static NodeSettings settings(String id, int gatewayPort) {
        return InProcessNode.settings(id, gatewayPort);
    }

    /** From now on each call to the node waits this long first, as behind a slow link. */
    static void injectDelay(String node, Duration delay) {
        (node.equals(A) ? a : b).injectDelay(delay);
    }

    @Override
    public void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }
}
