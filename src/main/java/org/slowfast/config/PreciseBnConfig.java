package org.slowfast.config;

/** {@code precise_bn}: recompute BN statistics over {@code num_iters} train batches every {@code interval} epochs. */
public record PreciseBnConfig(Integer numIters, Integer interval) {
    public PreciseBnConfig {
        if (numIters == null) {
            numIters = 200;
        }
        if (interval == null) {
            interval = 1;
        }
    }
}
