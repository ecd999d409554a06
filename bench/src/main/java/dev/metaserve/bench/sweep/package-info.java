/**
 * The profiling sweep ({@code bench sweep}): real plans measured on real nodes of different hardware over a grid of
 * tasks, written to the performance history store; its export to CSV and a summary of which plan wins where.
 */
package dev.metaserve.bench.sweep;
