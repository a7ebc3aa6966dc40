package org.slowfast.data.pipeline;

import java.util.List;
import java.util.Map;

/** {@code Flip}: flip the whole clip with probability {@code flip_ratio}, remapping labels if asked. */
public record Flip(
        Double flipRatio,
        String direction,
        Map<Integer, Integer> flipLabelMap,
        List<Integer> leftKp,
        List<Integer> rightKp,
        Boolean lazy) implements PipelineStep {
    public Flip {
        if (flipRatio == null) {
            flipRatio = 0.5;
        }
        if (direction == null) {
            direction = "horizontal";
        }
        if (lazy == null) {
            lazy = false;
        }
    }
}
