package dev.metaserve.nodes.generation;

import static dev.metaserve.nodes.generation.TinyTokenizer.BPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.metaserve.accelerators.Decoding;
import dev.metaserve.accelerators.generation.FinishReason;
import dev.metaserve.accelerators.generation.GenerationStats;
import dev.metaserve.api.generate.GenerateRequest;
import dev.metaserve.api.generate.GenerateResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end of a job is reported even when passing it on to the caller throws. */
class GenerationStreamTest {
    private final List<Status> ended = new ArrayList<>();

    private GenerationStream stream(StreamObserver<GenerateResponse> observer) {
        TextGenerationModel model = new TextGenerationModel("tiny-lm", BPE, new ScriptedGenerator(64),
                EnumSet.of(DecodingKind.PLAIN), Decoding.PLAIN);
        GenerationRequest request = GenerationRequest.from(
                GenerateRequest.newBuilder().setModel("tiny-lm").setPrompt("In").build(), model, () -> 1L);
        return new GenerationStream(request, new CompletionText(BPE, request.stops()), observer, "node-s",
                new GenerationMetrics(new SimpleMeterRegistry()), ended::add);
    }

    /** A caller whose every send fails, as gRPC's can once the call is gone. */
    private static final class Broken implements StreamObserver<GenerateResponse> {
        @Override
        public void onNext(GenerateResponse value) {
            throw new IllegalStateException("call already closed");
        }

        @Override
        public void onError(Throwable t) {
            throw new IllegalStateException("call already closed");
        }

        @Override
        public void onCompleted() {
            throw new IllegalStateException("call already closed");
        }
    }

    @Test
    void theEndIsReportedWhenSendingTheLastChunkThrows() {
        GenerationStream stream = stream(new Broken());

        assertThatThrownBy(() -> stream.onFinished(FinishReason.LENGTH, new GenerationStats(1, 0, 0, 0, 1)))
                .hasMessageContaining("call already closed");

        assertThat(ended).singleElement().satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.INTERNAL));
    }

    @Test
    void theEndIsReportedWhenSendingTheFailureThrows() {
        GenerationStream stream = stream(new Broken());

        assertThatThrownBy(() -> stream.onError(new RuntimeException("model failed")))
                .hasMessageContaining("call already closed");

        assertThat(ended).singleElement().satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.INTERNAL));
    }
}
