package dev.metaserve.accelerators.generation;

/**
 * The outcome of verifying one speculative step.
 *
 * @param accepted how many proposals (a prefix) the target accepted
 * @param next     the target's own token after them: a correction, or one more token when all were accepted
 */
public record Verdict(int accepted, int next) {}
