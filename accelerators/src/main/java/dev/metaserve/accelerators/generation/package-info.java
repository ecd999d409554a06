/**
 * Text generation over token ids: the job a request becomes, how its tokens come back, and the engine contract
 * ({@link dev.metaserve.accelerators.generation.Generator}) that continuous batching and speculative decoding
 * implement. Text (tokenizing, stop sequences) is the caller's business.
 */
package dev.metaserve.accelerators.generation;
