/**
 * The selector end to end ({@code bench selector-e2e}): a mixed workload sent through the real gateway, the selector
 * choosing node and plan per request, against every fixed plan and a random plan, in interleaved rounds.
 */
package dev.metaserve.bench.e2e;
