package dev.metaserve.quant.graph;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Symmetric INT8 weights: {@code q = round(w / scale)} in [-127, 127], zero point 0, one scale per output channel or per tensor. */
final class WeightQuantizer {
    /** INT8 values (same layout as the float tensor) and their scales (one per channel along the axis, or one). */
    record QuantizedWeight(byte[] values, float[] scales) {}

    private WeightQuantizer() {}

    static float[] floats(TensorProto tensor) {
        if (tensor.getRawData().isEmpty()) {
            float[] values = new float[tensor.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
            return values;
        }
        FloatBuffer buffer = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /**
     * @param rows    size of axis 0
     * @param columns size of axis 1
     * @param axis    the channel axis (0 or 1), or -1 for one scale over the whole tensor
     */
    static QuantizedWeight quantize(float[] weights, int rows, int columns, int axis) {
        if ((long) rows * columns != weights.length) {
            throw new IllegalArgumentException("weight holds " + weights.length + " values, not " + rows + " x " + columns);
        }
        int channels = axis == 0 ? rows : axis == 1 ? columns : 1;
        float[] maxAbs = new float[channels];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int channel = axis == 0 ? r : axis == 1 ? c : 0;
                maxAbs[channel] = Math.max(maxAbs[channel], Math.abs(weights[r * columns + c]));
            }
        }
        float[] scales = new float[channels];
        for (int k = 0; k < channels; k++) {
            scales[k] = maxAbs[k] == 0 ? 1f : maxAbs[k] / 127f;
        }
        byte[] values = new byte[weights.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int channel = axis == 0 ? r : axis == 1 ? c : 0;
                double q = Math.rint(weights[r * columns + c] / scales[channel]);
                values[r * columns + c] = (byte) Math.max(-127, Math.min(127, q));
            }
        }
        return new QuantizedWeight(values, scales);
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }
}
