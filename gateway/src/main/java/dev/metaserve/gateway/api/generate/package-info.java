/** The gRPC front end of text generation: TextGeneration/Generate, streamed from a node. */
package dev.metaserve.gateway.api.generate;
