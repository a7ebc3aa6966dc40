package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One contiguous float32 buffer in Java direct memory, seen by torch as a 1-D array and as one 1-D view per segment
 * (all zero-copy: torch and Java read and write the same memory). Starts at zero.
 */
final class FlatBuffer {
    private final ByteBuffer bytes;
    private final NDArray all;
    private final List<NDArray> segments = new ArrayList<>();

    /** A buffer of {@code size} floats with segments {@code [starts[s], starts[s] + lengths[s])}. */
    FlatBuffer(int size, long[] starts, long[] lengths, NDManager manager) {
        bytes = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder());
        all = view(manager, 0, size);
        for (int s = 0; s < starts.length; s++) {
            segments.add(view(manager, starts[s], lengths[s]));
        }
    }

    private NDArray view(NDManager manager, long offset, long length) {
        return manager.create(slice(offset, length), new Shape(length), DataType.FLOAT32);
    }

    /** The bytes of floats {@code [offset, offset + length)} (native order), e.g. to re-point a tensor at them. */
    ByteBuffer slice(long offset, long length) {
        return bytes.slice(Math.toIntExact(offset * Float.BYTES), Math.toIntExact(length * Float.BYTES))
                .order(ByteOrder.nativeOrder());
    }

    NDArray all() {
        return all;
    }

    NDArray segment(int s) {
        return segments.get(s);
    }

    int size() {
        return bytes.capacity() / Float.BYTES;
    }

    void read(long offset, float[] out) {
        slice(offset, out.length).asFloatBuffer().get(out);
    }

    void write(long offset, float[] values) {
        slice(offset, values.length).asFloatBuffer().put(values);
    }

    void fill(float value) {
        FloatBuffer buffer = bytes.duplicate().order(ByteOrder.nativeOrder()).clear().asFloatBuffer();
        float[] chunk = new float[Math.min(buffer.remaining(), 1 << 16)];
        Arrays.fill(chunk, value);
        while (buffer.hasRemaining()) {
            buffer.put(chunk, 0, Math.min(chunk.length, buffer.remaining()));
        }
    }

    void copyFrom(FlatBuffer source) {
        bytes.duplicate().clear().put(source.bytes.duplicate().clear());
    }
}
