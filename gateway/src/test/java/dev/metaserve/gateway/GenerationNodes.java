package dev.metaserve.gateway;

import dev.metaserve.nodes.LanguageModels;
import dev.metaserve.nodes.NodeAgent;
import dev.metaserve.nodes.NodeSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * Two real nodes in the test JVM serving the embedding model and {@link ScriptedLanguageModel}: {@code gen-node-a}
 * generates, {@code gen-node-b}'s engine is always full, so every request it is sent must be retried on the other.
 * Named with {@code @WithTestResource}, never globally (see {@link InProcessNode}).
 */
public class GenerationNodes implements QuarkusTestResourceLifecycleManager {
    static final String SERVING = "gen-node-a";
    static final String FULL = "gen-node-b";
    private NodeAgent serving;
    private NodeAgent full;

    @Override
    public Map<String, String> start() {
        int grpcPort = InProcessNode.freePort();
        try {
            serving = NodeAgent.start(settings(SERVING, grpcPort), s -> Optional.of(ScriptedLanguageModel.serving()));
            full = NodeAgent.start(settings(FULL, grpcPort), s -> Optional.of(ScriptedLanguageModel.full()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.grpc.server.test-port", Integer.toString(grpcPort),
                "gateway.join-token", InProcessNode.JOIN_TOKEN);
    }

    private static NodeSettings settings(String id, int gatewayPort) {
        return InProcessNode.settings(id, gatewayPort).withLanguageModel(LanguageModels.BUNDLED);
    }

    @Override
    public void stop() {
        if (serving != null) {
            serving.close();
        }
        if (full != null) {
            full.close();
        }
    }
}
