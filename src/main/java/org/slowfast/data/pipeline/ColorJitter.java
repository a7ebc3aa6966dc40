package org.slowfast.data.pipeline;

/** {@code ColorJitter}: random brightness, contrast, saturation and hue in MMAction2 0.x's order. */
public record ColorJitter(Double brightness, Double contrast, Double saturation, Double hue) implements PipelineStep {
    public ColorJitter {
        if (brightness == null) {
            brightness = 0.5;
        }
        if (contrast == null) {
            contrast = 0.5;
        }
        if (saturation == null) {
            saturation = 0.5;
        }
        if (hue == null) {
            hue = 0.1;
        }
    }
}
