/** Micrometer meters of the gateway: requests, nodes, in-flight work. */
package dev.metaserve.gateway.telemetry;
