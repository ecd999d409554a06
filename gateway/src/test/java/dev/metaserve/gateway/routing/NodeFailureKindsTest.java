package dev.metaserve.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/** Which node call failures are sent again to another node, and which evict the node. */
class NodeFailureKindsTest {
    @Test
    void aConnectionThatClosedUnderTheCallIsANodeLostAndIsRetried() {
        // what a node killed mid-call gave in NodeFailureSystemTest: UNKNOWN, a closed channel two causes down
        var closed = Status.UNKNOWN.withDescription("channel closed")
                .withCause(new IOException("connection error", new ClosedChannelException())).asRuntimeException();

        assertThat(InferenceRouter.nodeLost(closed)).isTrue();
        assertThat(InferenceRouter.failedBeforeAnswering(closed)).isTrue();
    }

    @Test
    void unreachableIsLostAndRefusedForRoomIsRetriedWithoutEviction() {
        var unreachable = Status.UNAVAILABLE.withDescription("io exception").asRuntimeException();
        var full = Status.RESOURCE_EXHAUSTED.withDescription("queue full").asRuntimeException();

        assertThat(InferenceRouter.nodeLost(unreachable)).isTrue();
        assertThat(InferenceRouter.failedBeforeAnswering(unreachable)).isTrue();
        assertThat(InferenceRouter.nodeLost(full)).isFalse();
        assertThat(InferenceRouter.failedBeforeAnswering(full)).isTrue();
    }

    @Test
    void otherFailuresAreTheNodesAnswerAndAreNotRetried() {
        var unknown = Status.UNKNOWN.withDescription("the model threw").withCause(new IllegalStateException())
                .asRuntimeException();
        var invalid = Status.INVALID_ARGUMENT.withDescription("bad tensor").asRuntimeException();
        var closedButInvalid = Status.INVALID_ARGUMENT.withCause(new ClosedChannelException()).asRuntimeException();

        for (var failure : new Exception[] {unknown, invalid, closedButInvalid, new ClosedChannelException()}) {
            assertThat(InferenceRouter.nodeLost(failure)).as(failure.toString()).isFalse();
            assertThat(InferenceRouter.failedBeforeAnswering(failure)).as(failure.toString()).isFalse();
        }
    }
}
