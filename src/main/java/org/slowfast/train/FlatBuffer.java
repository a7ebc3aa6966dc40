package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One contiguous float32 buffer in Java direct memory, seen by torch as a 1-D array and by Java as a
 * {@link FloatBuffer} (zero-copy: torch and Java read and write the same memory). Starts at zero.
 */
final class FlatBuffer {
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final NDArray all;

    FlatBuffer(int size, NDManager manager) {
        bytes = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder());
        floats = bytes.asFloatBuffer();
        all = manager.create(slice(0, size), new Shape(size), DataType.FLOAT32);
    }

    /** The bytes of floats {@code [offset, offset + length)} (native order), e.g. to re-point a tensor at them. */
    ByteBuffer slice(long offset, long length) {
        return bytes.slice(Math.toIntExact(offset * Float.BYTES), Math.toIntExact(length * Float.BYTES))
                .order(ByteOrder.nativeOrder());
    }

    NDArray all() {
        return all;
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

    /** Sets floats {@code [from, to)} to {@code value}. */
    void fill(int from, int to, float value) {
        for (int i = from; i < to; i++) {
            floats.put(i, value);
        }
    }

    void fill(float value) {
        fill(0, size(), value);
    }

    /** Copies floats {@code [from, to)} of {@code source} into the same range of this buffer. */
    void copyFrom(FlatBuffer source, int from, int to) {
        slice(from, to - from).put(source.slice(from, to - from));
    }
}
