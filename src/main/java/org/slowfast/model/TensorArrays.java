package org.slowfast.model;

import ai.djl.ndarray.NDArray;

/**
 * Writing host values into an existing (parameter) array, whatever its dtype. The array object keeps its identity
 * and its requires-grad flag but takes over a fresh native tensor: DJL's in-place {@code set(Buffer)} goes through
 * libtorch's deprecated {@code AutoNonVariableTypeMode}, whose warning users should not see.
 */
final class TensorArrays {
    private TensorArrays() {}

    static void write(NDArray target, float[] values) {
        NDArray owned;
        try (NDArray wrapped = target.getManager().create(values, target.getShape())) {
            // create() wraps a direct buffer that must not outlive its array: copy into memory libtorch owns
            owned = wrapped.getDataType() == target.getDataType() ? wrapped.duplicate()
                    : wrapped.toType(target.getDataType(), true);
        }
        if (target.hasGradient()) {
            owned.setRequiresGradient(true);
        }
        target.intern(owned);
    }
}
