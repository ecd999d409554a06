/** Checks that the exported ONNX graph (ONNX Runtime, with and without the KV cache) gives DJL's logits. */
package dev.metaserve.lmtrain.parity;
