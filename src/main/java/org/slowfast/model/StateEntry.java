package org.slowfast.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * One entry of a model's state dict under its MMAction2 key: a learnable parameter, a BN running statistic, or a BN's
 * {@code num_batches_tracked} counter (an int64 scalar kept on the Java side).
 */
public record StateEntry(String key, Kind kind, Parameter parameter, BatchNorm3d counterOwner) {
    public enum Kind { PARAMETER, BUFFER, COUNTER }

    static StateEntry parameter(String key, Parameter p) {
        return new StateEntry(key, Kind.PARAMETER, p, null);
    }

    static StateEntry buffer(String key, Parameter p) {
        return new StateEntry(key, Kind.BUFFER, p, null);
    }

    static StateEntry counter(String key, BatchNorm3d bn) {
        return new StateEntry(key, Kind.COUNTER, null, bn);
    }

    /** The tensor shape; {@code num_batches_tracked} is a scalar (empty shape). */
    public Shape shape() {
        return kind == Kind.COUNTER ? new Shape() : parameter.getShape();
    }
}
