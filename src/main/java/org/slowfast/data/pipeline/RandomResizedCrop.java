package org.slowfast.data.pipeline;

import java.util.List;

/** {@code RandomResizedCrop}: one random area/aspect crop per clip. */
public record RandomResizedCrop(List<Double> areaRange, List<Double> aspectRatioRange, Boolean lazy)
        implements PipelineStep {
    public RandomResizedCrop {
        if (areaRange == null) {
            areaRange = List.of(0.08, 1.0);
        }
        if (aspectRatioRange == null) {
            aspectRatioRange = List.of(3.0 / 4.0, 4.0 / 3.0);
        }
        if (lazy == null) {
            lazy = false;
        }
    }
}
