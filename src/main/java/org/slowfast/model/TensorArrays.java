package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;

/** Writing host values into an existing (parameter) array in place, whatever its dtype. */
final class TensorArrays {
    private TensorArrays() {}

    static void write(NDArray target, float[] values) {
        if (target.getDataType() == DataType.FLOAT32) {
            target.set(FloatBuffer.wrap(values));
            return;
        }
        try (NDArray tmp = target.getManager().create(values, target.getShape())) {
            try (NDArray cast = tmp.toType(target.getDataType(), true)) {
                target.set(cast.toByteBuffer());
            }
        }
    }
}
