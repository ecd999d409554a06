package dev.metaserve.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The machine's cores, shared by its nodes: a call is slowed only once the busy threads outnumber the cores. */
class SharedHostTest {
    // the end-to-end benchmark's machine: 2 cores, a 2-thread node, a 1-thread node pinned to one core, a 1-thread one
    private final SharedHost host = new SharedHost("bench");
    private final SharedHost.NodeUse fast = new SharedHost.NodeUse(2, 2);
    private final SharedHost.NodeUse pinned = new SharedHost.NodeUse(1, 1);
    private final SharedHost.NodeUse single = new SharedHost.NodeUse(1, 2);

    SharedHostTest() {
        host.admit(2);
        host.admit(1);
    }

    @Test
    void anIdleMachineSlowsNothing() {
        assertThat(host.cores()).isEqualTo(2);
        assertThat(host.factor(fast, 0)).isEqualTo(1.0);
        assertThat(host.factor(pinned, 0)).isEqualTo(1.0);
    }

    @Test
    void aCallOnAOneThreadNodeLeavesTheOtherCoreFreeForAnotherOneThreadNodeButNotForTwoThreads() {
        host.callsChanged(pinned, 0, 1);
        assertThat(host.busyCores()).isEqualTo(1);
        assertThat(host.factor(single, 0)).as("a thread per core").isEqualTo(1.0);
        assertThat(host.factor(fast, 0)).as("3 threads on 2 cores").isCloseTo(1.5, within(1e-12));
        // the pinned node's own next call finds its one core taken by its own work: that is its backlog, not the host's
        assertThat(host.factor(pinned, 1)).isEqualTo(1.0);
    }

    @Test
    void aNodeKeepsNoMoreCoresBusyThanItMayUseAndCallsEndingFreeThem() {
        for (int open = 0; open < 5; open++) {
            host.callsChanged(pinned, open, open + 1);
        }
        assertThat(host.busyCores()).as("five calls on a node pinned to one core").isEqualTo(1);
        host.callsChanged(fast, 0, 1);
        assertThat(host.busyCores()).isEqualTo(3);
        assertThat(host.factor(single, 0)).isCloseTo(2.0, within(1e-12));
        for (int open = 5; open > 0; open--) {
            host.callsChanged(pinned, open, open - 1);
        }
        host.callsChanged(fast, 1, 0);
        assertThat(host.busyCores()).isZero();
        assertThat(host.factor(single, 0)).isEqualTo(1.0);
    }

    @Test
    void aMachineHasTheCoresOfItsLargestNode() {
        SharedHost big = new SharedHost("big");
        big.admit(4);
        big.admit(2);
        assertThat(big.cores()).isEqualTo(4);
        assertThat(new SharedHost.NodeUse(0, 0)).as("unknown threads or cores count as one")
                .isEqualTo(new SharedHost.NodeUse(1, 1));
    }
}
