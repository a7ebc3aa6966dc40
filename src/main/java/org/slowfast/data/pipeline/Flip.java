package org.slowfast.data.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.data.Frame;
import org.slowfast.data.Sample;

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

    @Override
    public void apply(Sample sample) {
        boolean horizontal = "horizontal".equals(direction);
        if (!horizontal && !"vertical".equals(direction)) {
            throw new SlowfastException("Flip: direction must be 'horizontal' or 'vertical', got '" + direction + "'");
        }
        sample.flip = sample.rng.nextDouble() < flipRatio;
        sample.flipDirection = direction;
        if (!sample.flip) {
            return;
        }
        List<Frame> out = new ArrayList<>(sample.imgs.size());
        for (Frame f : sample.imgs) {
            out.add(horizontal ? FrameOps.flipHorizontal(f) : FrameOps.flipVertical(f));
        }
        sample.imgs = out;
        if (flipLabelMap != null) {
            sample.label = flipLabelMap.getOrDefault(sample.label, sample.label);
        }
    }
}
