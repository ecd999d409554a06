package dev.metaserve.selector.store;

/** What a task wants from its plan: the shortest latency per request, or the most requests per second. */
public enum Objective {
    LATENCY,
    THROUGHPUT
}
