/**
 * Text generation on the node: a request's text becomes a {@link dev.metaserve.accelerators.generation.GenerationJob}
 * for the engine, and the tokens coming back become streamed text (whole characters only, stop sequences held back
 * and cut).
 */
package dev.metaserve.nodes.generation;
