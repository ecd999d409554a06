package dev.metaserve.models.lm;

import dev.metaserve.accelerators.generation.KvCache;
import java.util.Arrays;

/**
 * One sequence's keys and values in an {@link OnnxCausalLm}. While the sequence is in the model's resident batch
 * (the tensors the last pass wrote), its entries live there, at {@link #slots}; a copy in Java arrays holds the
 * positions before {@link #saved}, and is brought up to date when the sequence leaves the resident batch.
 */
final class OnnxKvCache implements KvCache {
    final OnnxCausalLm owner;
    private final int heads;
    private final int headDim;
    int length;

    /** Per layer, keys and values laid out [head][capacity][headDim]; positions [0, saved) are valid. */
    float[][] keys;
    float[][] values;
    int capacity;
    int saved;

    /** Row in the resident batch, or -1 when the Java arrays are all there is. */
    int row = -1;
    /** Resident: the slot (index on the tensors' past axis) of each position in [0, length). */
    int[] slots = new int[16];

    OnnxKvCache(OnnxCausalLm owner, int layers, int heads, int headDim) {
        this.owner = owner;
        this.heads = heads;
        this.headDim = headDim;
        this.keys = new float[layers][0];
        this.values = new float[layers][0];
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a cache of " + length + " tokens to " + newLength);
        }
        length = newLength;
        saved = Math.min(saved, newLength);
    }

    /** Offset of position {@code position} of head {@code head} in the Java arrays. */
    int offset(int head, int position) {
        return (head * capacity + position) * headDim;
    }

    void ensureCapacity(int positions) {
        if (positions <= capacity) {
            return;
        }
        int grown = Math.max(positions, Math.max(16, capacity * 2));
        for (int layer = 0; layer < keys.length; layer++) {
            keys[layer] = regrow(keys[layer], grown);
            values[layer] = regrow(values[layer], grown);
        }
        capacity = grown;
    }

    private float[] regrow(float[] old, int grown) {
        float[] next = new float[heads * grown * headDim];
        for (int head = 0; head < heads; head++) {
            System.arraycopy(old, head * capacity * headDim, next, head * grown * headDim, saved * headDim);
        }
        return next;
    }

    void placeAt(int firstSlot, int count) {
        if (length + count > slots.length) {
            slots = Arrays.copyOf(slots, Math.max(length + count, slots.length * 2));
        }
        for (int i = 0; i < count; i++) {
            slots[length + i] = firstSlot + i;
        }
    }
}
