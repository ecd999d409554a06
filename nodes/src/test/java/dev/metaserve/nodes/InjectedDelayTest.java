package dev.metaserve.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import dev.metaserve.api.inference.ModelInferRequest;
import dev.metaserve.api.inference.ModelInferResponse;
import dev.metaserve.api.node.NodeInferenceGrpc;
import dev.metaserve.api.node.RegisterRequest;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code --inject-delay-ms}: calls start late, without a thread waiting; the node says so when it registers. */
class InjectedDelayTest {

    @Test
    void aNodeWithAnInjectedDelayAnswersEachCallNoSoonerAndReportsTheDelay() throws Exception {
        FakeRegistry registry = new FakeRegistry(1000);
        Server gateway = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(registry).build().start();
        NodeSettings settings = new NodeSettings("node-far", "127.0.0.1", 0, "127.0.0.1:" + gateway.getPort(), "",
                1, 8, 4, 1, Duration.ofSeconds(5)).withInjectedDelay(Duration.ofMillis(50));
        ManagedChannel channel = null;
        try (NodeAgent agent = NodeAgent.start(settings)) {
            Poll.until("registered", () -> !registry.registers.isEmpty());
            RegisterRequest sent = registry.registers.get(0);
            assertThat(sent.getHardware().getInjectedDelayMs()).isEqualTo(50);
            assertThat(sent.getModels(0).getPrecisionsList()).containsExactly("fp32"); // no INT8 twin given

            channel = Grpc.newChannelBuilder(agent.address(), InsecureChannelCredentials.create()).build();
            NodeInferenceGrpc.NodeInferenceBlockingStub stub = NodeInferenceGrpc.newBlockingStub(channel);
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                ModelInferResponse response = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .infer(InferRequests.texts("a slow link, call " + i));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                assertThat(tookMs).isGreaterThanOrEqualTo(50);
                assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 384L);
            }
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            gateway.shutdownNow().awaitTermination();
        }
    }

    @Test
    void aNodeWithoutTheOptionReportsNoDelay() {
        assertThat(HardwareProbe.describe(2).getInjectedDelayMs()).isZero();
        assertThat(HardwareProbe.describe(2, 20).getInjectedDelayMs()).isEqualTo(20);
    }

    @Test
    void delayedCallsKeepTheirContextTheirMessagesAndTheirStreams() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<Boolean> deadlineSeen = new ArrayList<>();
        NodeInferenceGrpc.NodeInferenceImplBase echo = new NodeInferenceGrpc.NodeInferenceImplBase() {
            @Override
            public void infer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
                synchronized (deadlineSeen) {
                    deadlineSeen.add(Context.current().getDeadline() != null);
                }
                observer.onNext(ModelInferResponse.newBuilder().setId(request.getId()).build());
                observer.onCompleted();
            }

            @Override
            public void generate(GenerateRequest request, StreamObserver<GenerateResponse> observer) {
                for (int i = 0; i < 3; i++) {
                    observer.onNext(GenerateResponse.newBuilder().setText(request.getPrompt() + i).build());
                }
                observer.onCompleted();
            }
        };
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(echo, new InjectedDelay(Duration.ofMillis(30), scheduler)))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            NodeInferenceGrpc.NodeInferenceBlockingStub stub = NodeInferenceGrpc.newBlockingStub(channel);
            ModelInferResponse answer = stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .infer(ModelInferRequest.newBuilder().setId("req-7").build());
            assertThat(answer.getId()).isEqualTo("req-7");
            assertThat(deadlineSeen).containsExactly(true);

            Iterator<GenerateResponse> chunks = stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .generate(GenerateRequest.newBuilder().setPrompt("p").build());
            List<String> texts = new ArrayList<>();
            chunks.forEachRemaining(chunk -> texts.add(chunk.getText()));
            assertThat(texts).containsExactly("p0", "p1", "p2");

            StatusRuntimeException late = catchThrowableOfType(() -> stub.withDeadlineAfter(5, TimeUnit.MILLISECONDS)
                    .infer(ModelInferRequest.getDefaultInstance()), StatusRuntimeException.class);
            assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        } finally {
            channel.shutdownNow();
            server.shutdownNow().awaitTermination();
            scheduler.shutdownNow();
        }
    }

    @Test
    void aDelayInjectedLaterHoldsCallsUntilItIsTurnedOff() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        NodeInferenceGrpc.NodeInferenceImplBase echo = new NodeInferenceGrpc.NodeInferenceImplBase() {
            @Override
            public void infer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
                observer.onNext(ModelInferResponse.newBuilder().setId(request.getId()).build());
                observer.onCompleted();
            }
        };
        InjectedDelay delay = new InjectedDelay(Duration.ZERO, scheduler);
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(echo, delay)).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            NodeInferenceGrpc.NodeInferenceBlockingStub stub = NodeInferenceGrpc.newBlockingStub(channel);
            assertThat(stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .infer(ModelInferRequest.newBuilder().setId("before").build()).getId()).isEqualTo("before");

            delay.set(Duration.ofMinutes(5));
            StatusRuntimeException held = catchThrowableOfType(() -> stub.withDeadlineAfter(200, TimeUnit.MILLISECONDS)
                    .infer(ModelInferRequest.newBuilder().setId("held").build()), StatusRuntimeException.class);
            assertThat(held.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

            delay.set(Duration.ZERO);
            assertThat(stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .infer(ModelInferRequest.newBuilder().setId("after").build()).getId()).isEqualTo("after");
        } finally {
            channel.shutdownNow();
            server.shutdownNow().awaitTermination();
            scheduler.shutdownNow();
        }
    }
}
