package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_} over the gradients of trainable parameters: per parameter (the reference,
 * and the GPU path) or, on the flat gradient buffer, the norm here and the scaling inside the SGD step's pass.
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
            float coef = coefficient(maxNorm, total);
            if (coef < 1) {
                for (Parameter p : params) {
                    if (p.requiresGradient()) {
                        p.getArray().getGradient().muli(coef);
                    }
                }
            }
        }
        return total;
    }

    /**
     * The total {@code normType}-norm of the flat gradients (sums in double over concurrent chunks, combined in
     * chunk order). The clip itself is {@link #coefficient} applied by {@link TorchSgd#step(float)} in its pass.
     */
    static double gradNorm(FlatParameters flat, double normType, Chunks chunks) {
        FloatBuffer g = flat.grads().floats();
        boolean inf = Double.isInfinite(normType);
        double[] parts = chunks.run(flat.size(), (from, to) -> {
            double acc = 0;
            if (inf) {
                for (int i = from; i < to; i++) {
                    acc = Math.max(acc, Math.abs(g.get(i)));
                }
            } else if (normType == 2) {
                for (int i = from; i < to; i++) {
                    double v = g.get(i);
                    acc += v * v;
                }
            } else {
                for (int i = from; i < to; i++) {
                    acc += Math.pow(Math.abs(g.get(i)), normType);
                }
            }
            return acc;
        });
        double total = 0;
        for (double p : parts) {
            total = inf ? Math.max(total, p) : total + p;
        }
        return inf ? total : Math.pow(total, 1.0 / normType);
    }

    /** {@code clip_grad_norm_}'s factor for a total norm: {@code maxNorm / (total + 1e-6)}, at most 1. */
    static float coefficient(double maxNorm, double total) {
        double coef = maxNorm / (total + 1e-6);
        return coef < 1 ? (float) coef : 1f;
    }
}
