package dev.metaserve.api;

import com.google.protobuf.ByteString;
import dev.metaserve.api.inference.InferTensorContents;
import dev.metaserve.api.inference.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading and writing tensor data in either of the v2 forms: typed contents or raw little-endian bytes. */
public final class Tensors {
    private Tensors() {}

    /** Product of the dimensions; the caller has checked that none is negative. */
    public static long elementCount(List<Long> shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** The UTF-8 strings of a BYTES input, from typed or raw contents. */
    public static List<String> strings(ModelInferRequest request, int inputIndex) {
        if (request.getRawInputContentsCount() > 0) {
            return splitLengthPrefixed(request.getRawInputContents(inputIndex), request.getInputs(inputIndex).getName());
        }
        List<String> out = new ArrayList<>();
        for (ByteString element : request.getInputs(inputIndex).getContents().getBytesContentsList()) {
            out.add(element.toStringUtf8());
        }
        return out;
    }

    /** Splits raw BYTES contents: each element is a 4-byte little-endian length followed by that many bytes. */
    public static List<String> splitLengthPrefixed(ByteString raw, String inputName) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<String> out = new ArrayList<>();
        while (buffer.hasRemaining()) {
            if (buffer.remaining() < 4) {
                throw new InvalidRequestException("raw contents of input '" + inputName + "' end inside a length prefix");
            }
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw new InvalidRequestException("raw contents of input '" + inputName + "' declare an element of "
                        + length + " bytes but only " + buffer.remaining() + " remain");
            }
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            out.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Joins strings in the raw BYTES form. */
    public static ByteString lengthPrefixed(List<String> strings) {
        List<byte[]> encoded = strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        int size = encoded.stream().mapToInt(b -> 4 + b.length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] bytes : encoded) {
            buffer.putInt(bytes.length).put(bytes);
        }
        return ByteString.copyFrom(buffer.flip());
    }

    /** Row-major float32 values as raw little-endian bytes. */
    public static ByteString rawFloats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return ByteString.copyFrom(buffer);
    }

    /** Reads raw little-endian float32 values. */
    public static float[] floats(ByteString raw) {
        if (raw.size() % Float.BYTES != 0) {
            throw new IllegalArgumentException("raw FP32 contents of " + raw.size() + " bytes is not a whole number of floats");
        }
        float[] out = new float[raw.size() / Float.BYTES];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Float values of an FP32 output from typed contents, or from the raw entry when typed contents are empty. */
    public static float[] floats(InferTensorContents contents, ByteString rawOrEmpty) {
        if (contents.getFp32ContentsCount() > 0) {
            float[] out = new float[contents.getFp32ContentsCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = contents.getFp32Contents(i);
            }
            return out;
        }
        return floats(rawOrEmpty);
    }
}
