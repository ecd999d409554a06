package dev.metaserve.api;

import dev.metaserve.api.inference.InferTensorContents;
import java.util.Arrays;
import java.util.Optional;

/** The v2 protocol's tensor datatypes: their element size in raw form and where their values go in typed contents. */
public enum DataType {
    BOOL(1),
    UINT8(1),
    UINT16(2),
    UINT32(4),
    UINT64(8),
    INT8(1),
    INT16(2),
    INT32(4),
    INT64(8),
    FP16(2),
    BF16(2),
    FP32(4),
    FP64(8),
    /** Variable-length elements; in raw form each is prefixed by a 4-byte little-endian length. */
    BYTES(-1);

    private final int rawElementBytes;

    DataType(int rawElementBytes) {
        this.rawElementBytes = rawElementBytes;
    }

    public static Optional<DataType> parse(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** Bytes per element in raw contents, or -1 for BYTES. */
    public int rawElementBytes() {
        return rawElementBytes;
    }

    /** How many values typed contents hold for this datatype; -1 where the type has no typed field (FP16, BF16). */
    public int typedCount(InferTensorContents contents) {
        return switch (this) {
            case BOOL -> contents.getBoolContentsCount();
            case INT8, INT16, INT32 -> contents.getIntContentsCount();
            case INT64 -> contents.getInt64ContentsCount();
            case UINT8, UINT16, UINT32 -> contents.getUintContentsCount();
            case UINT64 -> contents.getUint64ContentsCount();
            case FP32 -> contents.getFp32ContentsCount();
            case FP64 -> contents.getFp64ContentsCount();
            case BYTES -> contents.getBytesContentsCount();
            case FP16, BF16 -> -1;
        };
    }
}
