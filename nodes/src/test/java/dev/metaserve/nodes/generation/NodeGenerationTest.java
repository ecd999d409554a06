package dev.metaserve.nodes.generation;

import static dev.metaserve.nodes.generation.TinyTokenizer.BPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.generation.GeneratorClosedException;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
import dev.metaserve.models.Embeddings;
import dev.metaserve.models.ModelSpec;
import dev.metaserve.nodes.EmbeddingModel;
import dev.metaserve.nodes.InferenceRunner;
import dev.metaserve.nodes.NodeInferenceService;
import dev.metaserve.nodes.NodeMetrics;
import dev.metaserve.nodes.NodeServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NodeInference/Generate over in-process gRPC: the real service, tokenizer and stream; a scripted engine. */
class NodeGenerationTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ManagedChannel channel;
    private GenerationService service;

    private NodeInferenceGrpc.NodeInferenceBlockingStub node(ScriptedGenerator generator) throws Exception {
        TextGenerationModel model = new TextGenerationModel("tiny-lm", BPE, generator,
                EnumSet.of(DecodingKind.PLAIN, DecodingKind.DRAFT), Decoding.PLAIN);
        return node(new GenerationService("node-g", model, new GenerationMetrics(meters), () -> 1L));
    }

    private NodeInferenceGrpc.NodeInferenceBlockingStub node(GenerationService generation) throws Exception {
        service = generation;
        EmbeddingModel embeddings = EmbeddingModel.of(ModelSpec.ALL_MINILM_L6_V2, 2, 4,
                texts -> new Embeddings(new float[texts.size()][2], new int[texts.size()]));
        InferenceRunner runner = new InferenceRunner(embeddings.embedder(), Batching.NONE, 1, 4,
                new NodeMetrics(meters));
        String name = InProcessServerBuilder.generateName();
        NodeServer server = new NodeServer(InProcessServerBuilder.forName(name),
                new NodeInferenceService("node-g", embeddings, runner, generation)).start();
        ManagedChannel opened = InProcessChannelBuilder.forName(name).build();
        channel = opened;
        open.add(() -> {
            opened.shutdownNow();
            server.shutdown();
            server.awaitTermination(Duration.ofSeconds(2));
            runner.shutdownNow();
            generation.close();
        });
        return NodeInferenceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static GenerateRequest.Builder request() {
        return GenerateRequest.newBuilder().setModel("tiny-lm").setPrompt("In the beginning");
    }

    private static List<GenerateResponse> all(Iterator<GenerateResponse> stream) {
        List<GenerateResponse> chunks = new ArrayList<>();
        stream.forEachRemaining(chunks::add);
        return chunks;
    }

    @Test
    void tokensStreamAsTextAndTheLastChunkCarriesUsageAndPlan() throws Exception {
        ScriptedGenerator generator = new ScriptedGenerator(64);
        generator.steps = TinyTokenizer.steps(" God created the heaven");
        int tokens = generator.steps.length;

        List<GenerateResponse> chunks = all(node(generator).generate(request().setMaxTokens(50).build()));

        assertThat(chunks).hasSize(tokens + 1);
        assertThat(chunks.subList(0, tokens)).allSatisfy(c -> {
            assertThat(c.getTokenIdsCount()).isEqualTo(1);
            assertThat(c.getFinishReason()).isEmpty();
            assertThat(c.hasUsage()).isFalse();
        });
        assertThat(chunks.stream().map(GenerateResponse::getText).reduce("", String::concat))
                .isEqualTo(" God created the heaven");
        GenerateResponse last = chunks.get(tokens);
        assertThat(last.getFinishReason()).isEqualTo("length");
        assertThat(last.getUsage().getPromptTokens()).isEqualTo(BPE.encode("In the beginning").length);
        assertThat(last.getUsage().getCompletionTokens()).isEqualTo(tokens);
        assertThat(last.getUsage().getTargetPasses()).isEqualTo(tokens + 1);
        assertThat(last.getNodeId()).isEqualTo("node-g");
        assertThat(last.getPlan()).isEqualTo("decoding=plain");
        assertThat(generator.jobs).singleElement().satisfies(job -> assertThat(job.maxTokens()).isEqualTo(50));
        assertThat(meters.get(GenerationMetrics.GENERATED).tag("decoding", "plain").counter().count())
                .isEqualTo(tokens);
    }

    @Test
    void aStopSequenceEndsTheJobAndIsNotReturned() throws Exception {
        ScriptedGenerator generator = new ScriptedGenerator(64);
        generator.steps = TinyTokenizer.steps(" the deep. THE END. And then more text that never comes");

        List<GenerateResponse> chunks = all(node(generator).generate(request().setMaxTokens(100).addStop("THE END")
                .build()));

        assertThat(chunks.stream().map(GenerateResponse::getText).reduce("", String::concat)).isEqualTo(" the deep. ");
        assertThat(chunks.get(chunks.size() - 1).getFinishReason()).isEqualTo("stop");
        assertThat(generator.stoppedBySink).isTrue();
        assertThat(chunks.get(chunks.size() - 1).getUsage().getCompletionTokens())
                .isLessThan(generator.steps.length);
    }

    @Test
    void speculativeDecodingReportsProposedAndAcceptedTokens() throws Exception {
        ScriptedGenerator generator = new ScriptedGenerator(64);
        generator.steps = new int[][] {{'a', 'b', 'c'}, {'d'}};

        List<GenerateResponse> chunks = all(node(generator).generate(request().setPlan("decoding=draft(3)").build()));

        GenerateResponse last = chunks.get(chunks.size() - 1);
        assertThat(chunks.get(0).getText()).isEqualTo("abc");
        assertThat(last.getPlan()).isEqualTo("decoding=draft(3)");
        assertThat(last.getUsage().getProposedTokens()).isEqualTo(6);
        assertThat(last.getUsage().getAcceptedTokens()).isEqualTo(2);
        assertThat(meters.get(GenerationMetrics.ACCEPTED).tag("decoding", "draft").counter().count()).isEqualTo(2);
    }

    @Test
    void badParametersAreInvalidArgumentBeforeAnythingStreams() throws Exception {
        ScriptedGenerator generator = new ScriptedGenerator(8);
        var stub = node(generator);

        StatusRuntimeException tooLong = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().setPrompt("word ".repeat(20)).build()).hasNext());
        StatusRuntimeException badTemperature = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().setTemperature(3).build()).hasNext());

        assertThat(tooLong.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(tooLong.getStatus().getDescription()).contains("'prompt' is").contains("context of 8 tokens");
        assertThat(badTemperature.getStatus().getDescription()).contains("'temperature'");
        assertThat(generator.jobs).isEmpty();
    }

    @Test
    void aFullEngineIsResourceExhaustedAndARefusedJobInvalidArgument() throws Exception {
        ScriptedGenerator generator = ScriptedGenerator.full(3);
        var stub = node(generator);

        StatusRuntimeException full = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().build()).hasNext());
        generator.refusal = new IllegalArgumentException("token 9999 is outside the vocabulary");
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().build()).hasNext());

        assertThat(full.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(full.getStatus().getDescription()).contains("node node-g queue is full (capacity 3)");
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).contains("outside the vocabulary");
        assertThat(service.inFlight()).isZero();
    }

    @Test
    void unknownModelsAndNodesWithoutALanguageModelAreNotFound() throws Exception {
        var withModel = node(new ScriptedGenerator(64));
        StatusRuntimeException other = catchThrowableOfType(StatusRuntimeException.class,
                () -> withModel.generate(request().setModel("gpt-9").build()).hasNext());
        var without = node(new GenerationService("node-g", null, new GenerationMetrics(meters)));
        StatusRuntimeException none = catchThrowableOfType(StatusRuntimeException.class,
                () -> without.generate(request().build()).hasNext());

        assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(other.getStatus().getDescription()).isEqualTo("unknown model 'gpt-9'");
        assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void cancellingTheCallCancelsTheJob() throws Exception {
        ScriptedGenerator generator = new ScriptedGenerator(64);
        generator.steps = TinyTokenizer.steps(" and the earth");
        generator.waitForCancel = true;
        node(generator);
        CountDownLatch firstChunk = new CountDownLatch(1);
        List<ClientCallStreamObserver<?>> call = new ArrayList<>();

        NodeInferenceGrpc.newStub(channel).generate(request().build(), new ClientResponseObserver<GenerateRequest,
                GenerateResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<GenerateRequest> requestStream) {
                call.add(requestStream);
            }

            @Override
            public void onNext(GenerateResponse value) {
                firstChunk.countDown();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        assertThat(firstChunk.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(service.inFlight()).isEqualTo(1);
        call.get(0).cancel("client went away", null);

        assertThat(generator.cancelled.await(10, TimeUnit.SECONDS)).as("job cancelled").isTrue();
        dev.metaserve.nodes.generation.Poll.until(() -> service.inFlight() == 0);
    }

    /** The tokens of {@code text} in steps of {@code size}, as a speculative engine might deliver them. */
    private static int[][] chunked(String text, int size) {
        int[] tokens = BPE.encode(text);
        int[][] steps = new int[(tokens.length + size - 1) / size][];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = java.util.Arrays.copyOfRange(tokens, i * size, Math.min(tokens.length, (i + 1) * size));
        }
        return steps;
    }

    private static List<Integer> tokenIds(List<GenerateResponse> chunks) {
        return chunks.stream().flatMap(c -> c.getTokenIdsList().stream()).toList();
    }

    @Test
    void tokensDeliveredAfterAStopInTheSameStepAreNeitherSentNorCounted() throws Exception {
        String script = " the deep. THE END. And then more text that never comes";
        ScriptedGenerator plainEngine = new ScriptedGenerator(64);
        plainEngine.steps = TinyTokenizer.steps(script);
        ScriptedGenerator draftEngine = new ScriptedGenerator(64);
        draftEngine.steps = chunked(script, 5);

        List<GenerateResponse> plain = all(node(plainEngine).generate(request().setMaxTokens(100).addStop("THE END")
                .build()));
        List<GenerateResponse> draft = all(node(draftEngine).generate(request().setMaxTokens(100).addStop("THE END")
                .setPlan("decoding=draft(4)").build()));

        for (List<GenerateResponse> chunks : List.of(plain, draft)) {
            GenerateResponse last = chunks.get(chunks.size() - 1);
            assertThat(chunks.stream().map(GenerateResponse::getText).reduce("", String::concat))
                    .isEqualTo(" the deep. ");
            assertThat(last.getFinishReason()).isEqualTo("stop");
            assertThat(last.getUsage().getCompletionTokens()).isEqualTo(tokenIds(chunks).size());
        }
        assertThat(tokenIds(plain)).hasSizeLessThan(BPE.encode(script).length);
        assertThat(tokenIds(draft)).isEqualTo(tokenIds(plain));
        assertThat(draft.get(draft.size() - 1).getUsage().getCompletionTokens())
                .isEqualTo(plain.get(plain.size() - 1).getUsage().getCompletionTokens())
                .isEqualTo(tokenIds(plain).size());
        assertThat(meters.get(GenerationMetrics.GENERATED).tag("decoding", "draft").counter().count())
                .isEqualTo(meters.get(GenerationMetrics.GENERATED).tag("decoding", "plain").counter().count())
                .isEqualTo(tokenIds(plain).size());
    }

    @Test
    void aStopCompletedAtTheVeryEndMakesTheFinishReasonStop() throws Exception {
        ScriptedGenerator generator = new ScriptedGenerator(64);
        generator.steps = new int[][] {{'o'}, {'k'}, {0xE2}}; // ends inside a character: U+FFFD at the end

        List<GenerateResponse> chunks = all(node(generator).generate(request().addStop("k\uFFFD").build()));

        assertThat(chunks.stream().map(GenerateResponse::getText).reduce("", String::concat)).isEqualTo("o");
        assertThat(chunks.get(chunks.size() - 1).getFinishReason()).isEqualTo("stop");
    }

    @Test
    void aClosedGeneratorIsUnavailableSoTheGatewayTriesAnotherNode() throws Exception {
        ScriptedGenerator generator = new ScriptedGenerator(64);
        generator.refusal = new GeneratorClosedException();
        var stub = node(generator);

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.generate(request().build()).hasNext());
        generator.refusal = null;
        generator.steps = TinyTokenizer.steps(" and the earth");
        generator.failAtEnd = new GeneratorClosedException();
        Iterator<GenerateResponse> stream = stub.generate(request().build());
        StatusRuntimeException ended = catchThrowableOfType(StatusRuntimeException.class,
                () -> stream.forEachRemaining(chunk -> { }));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getStatus().getDescription()).isEqualTo("node node-g is shutting down: its generator stopped");
        assertThat(ended.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(ended.getStatus().getDescription()).isEqualTo("node node-g is shutting down: its generator stopped");
        dev.metaserve.nodes.generation.Poll.until(() -> service.inFlight() == 0);
    }
}
