/** The node agent: serves NodeInference over gRPC from a bounded worker pool and keeps a lease with the gateway. */
package dev.metaserve.nodes;
