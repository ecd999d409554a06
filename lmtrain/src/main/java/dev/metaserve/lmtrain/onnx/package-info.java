/** Export of the decoder to an ONNX graph with a KV cache (opset 17), built with the ONNX protobuf classes. */
package dev.metaserve.lmtrain.onnx;
