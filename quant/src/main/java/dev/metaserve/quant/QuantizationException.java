package dev.metaserve.quant;

/**
 * A model could not be quantized: the input is not an ONNX model, has nothing to quantize, cannot be run, or the output
 * cannot be written. The message names the problem; no output file is left behind.
 */
public class QuantizationException extends RuntimeException {
    public QuantizationException(String message) {
        super(message);
    }

    public QuantizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
