/** Load generation and benchmarks against running gateways and nodes, on loopback only. */
package dev.metaserve.bench;
