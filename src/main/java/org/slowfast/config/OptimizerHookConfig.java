package org.slowfast.config;

/** {@code optimizer_config}: gradient clipping by global norm ({@code grad_clip: null} disables it). */
public record OptimizerHookConfig(GradClip gradClip) {
    /** {@code optimizer_config.grad_clip}: {@code clip_grad_norm_} arguments. */
    public record GradClip(Double maxNorm, Double normType) {
        public GradClip {
            if (normType == null) {
                normType = 2.0;
            }
        }
    }
}
