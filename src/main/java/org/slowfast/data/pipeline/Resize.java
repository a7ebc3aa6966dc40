package org.slowfast.data.pipeline;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code Resize}: scale tuple (with −1 for "any") or factor; bilinear as OpenCV's INTER_LINEAR. */
public record Resize(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Double> scale,
        Boolean keepRatio,
        String interpolation,
        Boolean lazy) implements PipelineStep {
    public Resize {
        if (keepRatio == null) {
            keepRatio = true;
        }
        if (interpolation == null) {
            interpolation = "bilinear";
        }
        if (lazy == null) {
            lazy = false;
        }
    }
}
