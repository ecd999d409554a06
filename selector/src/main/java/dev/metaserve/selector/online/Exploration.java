package dev.metaserve.selector.online;

/** How the policy turns its beliefs into a choice. */
public enum Exploration {
    /** Sample each candidate's score from its posterior and take the lowest sample: explores while unsure. */
    THOMPSON,
    /** Take the lowest posterior mean: never explores beyond the floor. A baseline, and what the benchmark compares. */
    GREEDY
}
