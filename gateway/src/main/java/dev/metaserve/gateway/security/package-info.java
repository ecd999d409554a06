/** API keys for clients on REST and gRPC. */
package dev.metaserve.gateway.security;
