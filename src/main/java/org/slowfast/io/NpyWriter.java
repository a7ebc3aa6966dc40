package org.slowfast.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes float32 arrays as NumPy {@code .npy} files (format version 1.0, as {@code numpy.save} writes them): the magic
 * {@code \x93NUMPY}, version 1.0, a little-endian uint16 header length, an ASCII dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (...), }} padded with spaces and ending in a newline so that
 * the data starts at a multiple of 64, then the data in C order. The file is written atomically.
 */
public final class NpyWriter {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final int ALIGNMENT = 64;

    private NpyWriter() {}

    public static void write(Path file, float[] data, long... shape) {
        if (Tensor.numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length
                    + " values");
        }
        byte[] header = header(shape);
        ByteBuffer body = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(header.length & 0xff);
            out.write(header.length >>> 8);
            out.write(header);
            out.write(body.array());
        });
    }

    /** The padded header dict; Python's tuple syntax for the shape ({@code ()}, {@code (3,)}, {@code (2, 3)}). */
    static byte[] header(long[] shape) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String tuple = "(" + dims + (shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        return (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
