/** What every client protocol shares: the error body and the one mapping of failures to HTTP and gRPC status. */
package dev.metaserve.gateway.api;
