/** INT8 post-training static quantization of ONNX models: the pipeline ({@link dev.metaserve.quant.Quantizer}) and the {@code quant} command. */
package dev.metaserve.quant;
