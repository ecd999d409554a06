package dev.metaserve.models.lm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Direct float buffers, one per tensor name, that ONNX Runtime reads as inputs and writes as pinned outputs without
 * copying. They grow (losing their contents) and never shrink.
 */
final class KvBuffers {
    private final FloatBuffer[] buffers;
    private int capacity;

    KvBuffers(int count) {
        this.buffers = new FloatBuffer[count];
        ensure(1);
    }

    /** Makes every buffer hold at least {@code elements} floats; contents are lost when they grow. */
    void ensure(int elements) {
        if (elements <= capacity) {
            return;
        }
        int grown = Math.max(elements, capacity + capacity / 2);
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(Math.multiplyExact(grown, Float.BYTES))
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        capacity = grown;
    }

    FloatBuffer get(int index) {
        return buffers[index];
    }

    /** A tensor over the first elements of buffer {@code index}, shaped {@code shape}; it does not own the memory. */
    OnnxTensor tensor(OrtEnvironment environment, int index, long[] shape) throws OrtException {
        long elements = 1;
        for (long dimension : shape) {
            elements *= dimension;
        }
        FloatBuffer view = buffers[index].duplicate();
        view.clear().limit(Math.toIntExact(elements));
        return OnnxTensor.createTensor(environment, view.slice(), shape);
    }
}
