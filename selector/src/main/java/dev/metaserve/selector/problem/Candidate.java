package dev.metaserve.selector.problem;

import dev.metaserve.accelerators.Plan;
import dev.metaserve.selector.store.HardwareProfile;
import java.util.Objects;

/**
 * One thing the selector may choose for a task: run it on this node under this plan.
 *
 * @param hardware the node
 * @param plan     precision, batching and decoding
 */
public record Candidate(HardwareProfile hardware, Plan plan) {
    public Candidate {
        Objects.requireNonNull(hardware, "candidate: hardware must not be null");
        Objects.requireNonNull(plan, "candidate: plan must not be null");
    }

    /** The node spec and plan, without node id or description. */
    public CandidateKey key() {
        return new CandidateKey(NodeSpec.of(hardware), plan);
    }

    @Override
    public String toString() {
        return hardware.nodeId() + " | " + plan;
    }
}
