/** Reading, checking, rewriting (fp32 to QDQ INT8) and atomically writing ONNX graphs, on tribuo's generated ONNX protobuf classes. */
package dev.metaserve.quant.graph;
