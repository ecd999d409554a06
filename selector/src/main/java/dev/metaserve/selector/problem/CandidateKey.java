package dev.metaserve.selector.problem;

import dev.metaserve.accelerators.Plan;
import java.util.Objects;

/**
 * What identifies a candidate across tasks: the node's spec and the plan. Text form
 * {@code threads=1,cores=1,memMb=0,delayMs=20 | batching=none,precision=fp32}.
 */
public record CandidateKey(NodeSpec node, Plan plan) implements Comparable<CandidateKey> {
    public CandidateKey {
        Objects.requireNonNull(node, "candidate key: node spec must not be null");
        Objects.requireNonNull(plan, "candidate key: plan must not be null");
    }

    @Override
    public int compareTo(CandidateKey other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return node + " | " + plan;
    }
}
