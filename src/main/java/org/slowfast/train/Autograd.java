package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Torch autograd without DJL's process-wide {@code GradientCollector}: grad mode is thread-local in torch, so each
 * replica thread switches it on for its own forward and backward.
 */
public final class Autograd {
    private Autograd() {}

    /** Runs {@code body} with grad mode on in the calling thread, restoring the previous mode afterwards. */
    public static <T> T withGrad(Supplier<T> body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** {@code loss.backward()}: accumulates gradients into every leaf that requires them. */
    public static void backward(NDArray loss) {
        try (NDArray ones = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
        }
    }
}
