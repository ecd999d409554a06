/** The node agent: serves NodeInference over gRPC through dynamic batchers and keeps a lease with the gateway. */
package dev.metaserve.nodes;
