package org.slowfast.data.pipeline;

import org.slowfast.data.Sample;

/** {@code RandomCrop}: a random square crop of side {@code size}. */
public record RandomCrop(Integer size, Boolean lazy) implements PipelineStep {

    @Override
    public void apply(Sample sample) {
        int w = sample.width();
        int h = sample.height();
        Crops.check(new int[] {size, size}, w, h, "RandomCrop", sample);
        int y = h > size ? sample.rng.nextInt(h - size) : 0;
        int x = w > size ? sample.rng.nextInt(w - size) : 0;
        sample.imgs = FrameOps.crop(sample.imgs, x, y, size, size);
    }
}
