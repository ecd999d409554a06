package dev.metaserve.selector.store;

/** Where an observation came from: a profiling sweep, or requests the gateway served. */
public enum Source {
    SWEEP,
    LIVE
}
