package dev.metaserve.quant.calibration;

/** How activations are stored between QuantizeLinear and DequantizeLinear. */
public enum ActivationType {
    /** uint8 with a zero point: the whole [min, max] range uses all 256 levels; ONNX Runtime's CPU default (U8S8). */
    UINT8,
    /** int8 symmetric, zero point 0: [-max|x|, max|x|] in 255 levels. */
    INT8
}
