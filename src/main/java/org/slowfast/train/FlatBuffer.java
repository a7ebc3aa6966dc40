package org.slowfast.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One contiguous float32 buffer in Java direct memory: torch tensors are re-pointed at slices of it (zero-copy, see
 * {@link FlatParameters}) and Java reads and writes it as a {@link FloatBuffer}. Starts at zero.
 */
final class FlatBuffer {
    private final ByteBuffer bytes;
    private final FloatBuffer floats;

    FlatBuffer(int size) {
        bytes = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder());
        floats = bytes.asFloatBuffer();
    }

    /** The bytes of floats {@code [offset, offset + length)} (native order), e.g. to re-point a tensor at them. */
    ByteBuffer slice(long offset, long length) {
        return bytes.slice(Math.toIntExact(offset * Float.BYTES), Math.toIntExact(length * Float.BYTES))
                .order(ByteOrder.nativeOrder());
    }

    /** The floats, for absolute {@code get(i)} / {@code put(i, v)} (safe from several threads on disjoint ranges). */
    FloatBuffer floats() {
        return floats;
    }

    int size() {
        return floats.capacity();
    }

    void read(long offset, float[] out) {
        slice(offset, out.length).asFloatBuffer().get(out);
    }

    void write(long offset, float[] values) {
        slice(offset, values.length).asFloatBuffer().put(values);
    }

    void fill(float value) {
        for (int i = 0; i < size(); i++) {
            floats.put(i, value);
        }
    }
}
