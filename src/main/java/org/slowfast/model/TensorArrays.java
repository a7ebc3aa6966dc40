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
        NDArray fresh = target.getManager().create(values, target.getShape());
        if (fresh.getDataType() != target.getDataType()) {
            NDArray cast = fresh.toType(target.getDataType(), false);
            fresh.close();
            fresh = cast;
        }
        if (target.hasGradient()) {
            fresh.setRequiresGradient(true);
        }
        target.intern(fresh);
    }
}
