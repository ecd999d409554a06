package dev.metaserve.nodes.generation;

import dev.metaserve.accelerators.generation.Generator;

/** A {@link Generator} that can tell how many jobs wait to join its running batch, for the node's reported load. */
public interface QueuedGenerator extends Generator {
    /** Jobs queued and not yet decoding. */
    int queueDepth();
}
