package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.Precision;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.node.ModelDescriptor;
import dev.metaserve.api.node.NodeInferenceGrpc;
import dev.metaserve.nodes.generation.DecodingKind;
import dev.metaserve.nodes.generation.ScriptedGenerator;
import dev.metaserve.nodes.generation.TextGenerationModel;
import dev.metaserve.nodes.generation.TinyTokenizer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A whole node on loopback TCP serving a language model (scripted engine, real tokenizer) next to the encoder. */
class NodeAgentGenerationTest {
    @Test
    void aNodeWithALanguageModelAdvertisesItStreamsGenerationAndCountsTokens() throws Exception {
        FakeRegistry registry = new FakeRegistry(100);
        Server gateway = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(registry).build().start();
        NodeSettings settings = new NodeSettings("node-lm", "127.0.0.1", 0, "127.0.0.1:" + gateway.getPort(), "tok",
                1, 8, 4, 1, Duration.ofSeconds(5), Batching.NONE, 0, Precision.FP32, Int8Twin.NONE,
                LanguageModels.BUNDLED, Decoding.PLAIN);
        ScriptedGenerator generator = new ScriptedGenerator(48);
        generator.steps = TinyTokenizer.steps(" and the earth");
        LanguageModels fake = s -> Optional.of(new TextGenerationModel("tiny-lm", TinyTokenizer.BPE, generator,
                EnumSet.of(DecodingKind.PLAIN, DecodingKind.NGRAM), s.decoding()));
        ManagedChannel channel = null;
        try (NodeAgent agent = NodeAgent.start(settings, fake)) {
            Poll.until("registered", () -> agent.registration().leaseId().isPresent());
            List<ModelDescriptor> models = registry.registers.get(0).getModelsList();
            assertThat(models).extracting(ModelDescriptor::getTask).containsExactly("embedding", "text-generation");
            ModelDescriptor lm = models.get(1);
            assertThat(lm.getMetadata().getName()).isEqualTo("tiny-lm");
            assertThat(lm.getContextLength()).isEqualTo(48);
            assertThat(lm.getDecodingsList()).containsExactly("plain", "ngram(K,N)");

            generator.queueDepth = 3; // jobs waiting to join the running batch count in the reported queue depth
            Poll.until("queue depth reported", () -> registry.heartbeats.stream()
                    .anyMatch(h -> h.getLoad().getQueueDepth() == 3));
            generator.queueDepth = 0;

            channel = Grpc.newChannelBuilder(agent.address(), InsecureChannelCredentials.create()).build();
            List<GenerateResponse> chunks = new ArrayList<>();
            NodeInferenceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .generate(GenerateRequest.newBuilder().setModel("tiny-lm").setPrompt("In the beginning").build())
                    .forEachRemaining(chunks::add);
            assertThat(chunks.stream().map(GenerateResponse::getText).reduce("", String::concat))
                    .isEqualTo(" and the earth");

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + agent.metricsPort().orElseThrow() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics).contains("node_generated_tokens_total{decoding=\"plain\"} "
                    + generator.steps.length + ".0");
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            gateway.shutdownNow().awaitTermination();
        }
    }

    @Test
    void aNodeThatFailsToStartClosesItsLanguageModel() throws Exception {
        ScriptedGenerator generator = new ScriptedGenerator(48);
        LanguageModels fake = s -> Optional.of(new TextGenerationModel("tiny-lm", TinyTokenizer.BPE, generator,
                EnumSet.of(DecodingKind.PLAIN), s.decoding()));
        try (ServerSocket taken = new ServerSocket(0)) {
            NodeSettings settings = new NodeSettings("node-lm", "127.0.0.1", taken.getLocalPort(), "127.0.0.1:1",
                    "tok", 1, 8, 4, 1, Duration.ofSeconds(5), Batching.NONE, -1, Precision.FP32, Int8Twin.NONE,
                    LanguageModels.BUNDLED, Decoding.PLAIN);

            assertThatThrownBy(() -> NodeAgent.start(settings, fake)).isInstanceOf(IOException.class);
        }

        assertThat(generator.closed).as("language model closed").isTrue();
    }
}
