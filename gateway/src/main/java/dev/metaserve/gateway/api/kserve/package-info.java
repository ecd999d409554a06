/** KServe Open Inference Protocol v2 over REST and gRPC. */
package dev.metaserve.gateway.api.kserve;
