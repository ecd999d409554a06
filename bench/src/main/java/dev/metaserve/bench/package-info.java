/** Load generation and benchmarks: against running gateways and nodes (loopback only), and on the encoder in-process (batch padding, quantization). */
package dev.metaserve.bench;
