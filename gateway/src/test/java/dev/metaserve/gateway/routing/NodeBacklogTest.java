package dev.metaserve.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NodeBacklogTest {
    // lengths on bucket boundaries (0.125 ms * 2^(b/2)), so the arithmetic below is exact
    private static final double LONG_MS = 128;
    private static final double SHORT_MS = 16;

    @Test
    void anIdleNodeSlowsNothing() {
        assertThat(new NodeBacklog().factor(10, 0)).isEqualTo(1.0);
    }

    @Test
    void aShortRequestWaitsForEveryOpenCallALongOneOnlyForTheShortCallsLengths() {
        NodeBacklog backlog = new NodeBacklog();
        backlog.enter(LONG_MS);
        backlog.enter(SHORT_MS);

        // 4 ms: held up 4 ms by each call
        assertThat(backlog.factor(4, 0)).isCloseTo(3.0, within(1e-9));
        // 512 ms: held up only by what the two calls take, 144 ms
        assertThat(backlog.factor(512, 0)).isCloseTo(1 + 144.0 / 512, within(1e-9));
        // 32 ms: the short call's 16 ms and 32 of the long one's
        assertThat(backlog.factor(32, 0)).isCloseTo(1 + 48.0 / 32, within(1e-9));
    }

    @Test
    void callsOfUnknownLengthAndTheReportedQueueCountAsLongAsTheRequest() {
        NodeBacklog backlog = new NodeBacklog();
        backlog.enter(Double.NaN);

        assertThat(backlog.factor(4, 0)).isCloseTo(2.0, within(1e-9));
        assertThat(backlog.factor(400, 2)).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void leavingTakesTheCallOut() {
        NodeBacklog backlog = new NodeBacklog();
        int slot = backlog.enter(LONG_MS);
        assertThat(backlog.factor(10, 0)).isEqualTo(2.0);

        backlog.leave(slot);

        assertThat(backlog.factor(10, 0)).isEqualTo(1.0);
    }
}
