/** Acceleration techniques a plan can switch per request: the {@link dev.metaserve.accelerators.Plan} and a dynamic batcher. */
package dev.metaserve.accelerators;
