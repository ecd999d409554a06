/** Activation statistics collected on ONNX Runtime and the calibrators that turn them into scales and zero points. */
package dev.metaserve.quant.calibration;
