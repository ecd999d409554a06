package dev.metaserve.selector.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

/** The split of a latency into a network delay that load does not stretch and work on the node that it does. */
class LatencySplitTest {
    private static final double LOG_4 = Math.log(4);

    @Test
    void withoutADelayTheWholeLatencyFollowsThePowerLaw() {
        double idle = Math.log(30);
        assertThat(LatencySplit.loadOffset(idle, 0, 0, 0.5, LOG_4)).isEqualTo(0.5 * LOG_4);
        assertThat(LatencySplit.idleScore(Math.log(60), 0, 0, 0.5, LOG_4)).isCloseTo(idle, offset(1e-12));
        assertThat(LatencySplit.workScore(Math.log(60), 0, 0)).isEqualTo(Math.log(60));
    }

    @Test
    void aDelayIsAddedUnstretched() {
        // 30 ms idle, 20 of them delay: under a load factor of 4 (elasticity 1), 20 + 10 * 4 = 60 ms
        double idle = Math.log(30);
        double loaded = idle + LatencySplit.loadOffset(idle, 0, 20, 1, LOG_4);
        assertThat(Math.exp(loaded)).isCloseTo(60, offset(1e-9));
        assertThat(Math.exp(LatencySplit.idleScore(Math.log(60), 0, 20, 1, LOG_4))).isCloseTo(30, offset(1e-9));
        assertThat(Math.exp(LatencySplit.workScore(Math.log(60), 0, 20))).isCloseTo(40, offset(1e-9));
    }

    @Test
    void scoresOfAThroughputTaskAreTurnedIntoMillisecondsFirst() {
        double shift = Math.log(1000.0 * 4); // a throughput task at concurrency 4
        double idle = Math.log(30) - shift;
        double loaded = idle + LatencySplit.loadOffset(idle, shift, 20, 1, LOG_4);
        assertThat(Math.exp(loaded + shift)).isCloseTo(60, offset(1e-9));
        assertThat(Math.exp(LatencySplit.idleScore(Math.log(60) - shift, shift, 20, 1, LOG_4) + shift))
                .isCloseTo(30, offset(1e-9));
    }

    @Test
    void aLatencyBarelyAboveOrUnderTheDelayIsTakenAsAllWork() {
        // 24 ms with a 20 ms delay would leave a sixth as work, under the least share: the plain power law applies,
        // so a node believed that fast is still stretched by its load in full
        for (double ms : new double[] {24, 15}) {
            double score = Math.log(ms);
            assertThat(LatencySplit.workScore(score, 0, 20)).isEqualTo(score);
            assertThat(LatencySplit.idleScore(score, 0, 20, 1, LOG_4)).isCloseTo(score - LOG_4, offset(1e-12));
            assertThat(LatencySplit.loadOffset(score, 0, 20, 1, LOG_4)).isCloseTo(LOG_4, offset(1e-12));
        }
        // 26 ms leaves more than a fifth as work: split
        assertThat(Math.exp(LatencySplit.workScore(Math.log(26), 0, 20))).isCloseTo(6, offset(1e-9));
    }
}
