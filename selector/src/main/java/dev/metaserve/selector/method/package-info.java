/** The contract every selection method meets, ours and the baselines: train on problems, then choose per query. */
package dev.metaserve.selector.method;
