package org.slowfast.data.pipeline;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code MultiScaleCrop}: TSN-style multi-scale crop (reference §3.6). */
public record MultiScaleCrop(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> inputSize,
        List<Double> scales,
        Integer maxWhScaleGap,
        Boolean randomCrop,
        Integer numFixedCrops,
        Boolean lazy) implements PipelineStep {
    public MultiScaleCrop {
        if (scales == null) {
            scales = List.of(1.0);
        }
        if (maxWhScaleGap == null) {
            maxWhScaleGap = 1;
        }
        if (randomCrop == null) {
            randomCrop = false;
        }
        if (numFixedCrops == null) {
            numFixedCrops = 5;
        }
        if (lazy == null) {
            lazy = false;
        }
    }
}
