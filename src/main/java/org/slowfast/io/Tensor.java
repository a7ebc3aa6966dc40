package org.slowfast.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A host tensor as stored in a {@code .pth} file: a dtype, a shape and contiguous little-endian data (row-major).
 * Scalars have an empty shape.
 */
public record Tensor(DType dtype, long[] shape, ByteBuffer data) {
    /** The torch storage types this toolkit reads and writes. */
    public enum DType {
        FLOAT32(4, "FloatStorage", "<f4"),
        FLOAT64(8, "DoubleStorage", "<f8"),
        FLOAT16(2, "HalfStorage", "<f2"),
        INT64(8, "LongStorage", "<i8"),
        INT32(4, "IntStorage", "<i4"),
        UINT8(1, "ByteStorage", "|u1"),
        BOOL(1, "BoolStorage", "|b1");

        public final int bytes;
        public final String storageClass;
        public final String numpyCode;

        DType(int bytes, String storageClass, String numpyCode) {
            this.bytes = bytes;
            this.storageClass = storageClass;
            this.numpyCode = numpyCode;
        }
    }

    public Tensor {
        data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (data.remaining() != numel(shape) * dtype.bytes) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + numel(shape) * dtype.bytes + " bytes, got " + data.remaining());
        }
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long numel() {
        return numel(shape);
    }

    public static Tensor ofFloats(long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DType.FLOAT32, shape, b);
    }

    public static Tensor ofLongs(long[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(DType.INT64, shape, b);
    }

    /** The values widened or narrowed to float32 (float16 and float64 convert; integers cast). */
    public float[] toFloats() {
        int n = (int) numel();
        float[] out = new float[n];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case FLOAT32 -> b.getFloat();
                case FLOAT64 -> (float) b.getDouble();
                case FLOAT16 -> halfToFloat(b.getShort());
                case INT64 -> b.getLong();
                case INT32 -> b.getInt();
                case UINT8 -> b.get() & 0xff;
                case BOOL -> b.get();
            };
        }
        return out;
    }

    /** IEEE 754 binary16 to float32 (subnormals, infinities and NaN included). */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
