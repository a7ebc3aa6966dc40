package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_} over the gradients of trainable parameters: per parameter (the reference,
 * and the GPU path) or on the whole flat gradient buffer at once.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Computes the total {@code normType}-norm of all gradients (the norm of the per-parameter norms; {@code inf}:
     * the largest absolute value) and, if it exceeds {@code maxNorm}, scales every gradient in place by
     * {@code maxNorm / (total + 1e-6)}. Returns the total norm before clipping.
     */
    public static double clipGradNorm(List<Parameter> params, double maxNorm, double normType) {
        double total = 0;
        try (NDScope scope = new NDScope()) {
            for (Parameter p : params) {
                if (!p.requiresGradient()) {
                    continue;
                }
                NDArray g = p.getArray().getGradient();
                if (Double.isInfinite(normType)) {
                    total = Math.max(total, g.abs().max().getFloat());
                } else {
                    double n = normType == 2 ? g.norm().getFloat()
                            : Math.pow(g.abs().pow((float) normType).sum().getFloat(), 1.0 / normType);
                    total += Math.pow(n, normType);
                }
            }
            if (!Double.isInfinite(normType)) {
                total = Math.pow(total, 1.0 / normType);
            }
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) {
                for (Parameter p : params) {
                    if (p.requiresGradient()) {
                        p.getArray().getGradient().muli((float) coef);
                    }
                }
            }
        }
        return total;
    }

    /** {@link #clipGradNorm(List, double, double)} on all of {@code flat}'s gradients with one norm. */
    public static double clipGradNorm(FlatParameters flat, double maxNorm, double normType) {
        double total;
        try (NDScope scope = new NDScope()) {
            NDArray g = flat.gradients();
            if (Double.isInfinite(normType)) {
                total = g.abs().max().getFloat();
            } else if (normType == 2) {
                total = g.norm().getFloat();
            } else {
                total = Math.pow(g.abs().pow((float) normType).sum().getFloat(), 1.0 / normType);
            }
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            flat.gradients().muli((float) coef);
        }
        return total;
    }
}
