package dev.metaserve.selector.online;

import dev.metaserve.accelerators.Batching;
import dev.metaserve.selector.problem.Candidate;

/**
 * The candidates that share one {@link LoadElasticity} in a task class: those of one node with one batching. Why the
 * batching: a batching plan absorbs load that queues the same node's plain plan (the load factor slows it by far less
 * than in proportion), and one slope shared by both under-corrects the plain plan's requests served behind a deep
 * queue, so they teach an idle latency several times the true one. (The suspected cause of short texts' plain plans
 * believed 34-48 ms idle in {@code selector-e2e} where the sweep measures 3-7 ms; split by batching, 3-8 ms in one run
 * but 20-55 ms in the next, their own slopes below 1 there: the split's effect on that is not shown.) Grouping coarser
 * than a candidate keeps the evidence of a node's decodings together: a generation candidate alone gets too few
 * requests for a slope of its own.
 */
record LoadGroup(String nodeId, Batching batching) {
    static LoadGroup of(Candidate candidate) {
        return new LoadGroup(candidate.hardware().nodeId(), candidate.plan().batching());
    }

    /** As snapshots show it: {@code node-1 batching=none}. */
    @Override
    public String toString() {
        return nodeId + " batching=" + batching;
    }
}
