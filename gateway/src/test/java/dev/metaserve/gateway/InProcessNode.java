package dev.metaserve.gateway;

import dev.metaserve.nodes.NodeAgent;
import dev.metaserve.nodes.NodeSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

/**
 * A real node (model, ONNX Runtime, gRPC server) in the test JVM, pointed at the gateway under test.
 * It starts before the gateway and keeps trying to register until the gateway is up, as a real node would. Test
 * classes name it with {@code @WithTestResource} (shared by the classes naming the same resources, not global): it
 * chooses the gateway's gRPC port, and so does {@link GenerationNodes}; both at once would point nodes at a port the
 * gateway does not listen on.
 */
public class InProcessNode implements QuarkusTestResourceLifecycleManager {
    public static final String JOIN_TOKEN = "test-join-token";
    private NodeAgent node;

    @Override
    public Map<String, String> start() {
        int grpcPort = freePort();
        try {
            node = NodeAgent.start(settings("test-node", grpcPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.grpc.server.test-port", Integer.toString(grpcPort),
                "gateway.join-token", JOIN_TOKEN);
    }

    @Override
    public void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** A test node's settings: on loopback, any port, joining the gateway at {@code gatewayPort} with the test token. */
    static NodeSettings settings(String id, int gatewayPort) {
        return new NodeSettings(id, "127.0.0.1", 0, "127.0.0.1:" + gatewayPort, JOIN_TOKEN, 1, 16, 64, 1,
                Duration.ofSeconds(5));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
