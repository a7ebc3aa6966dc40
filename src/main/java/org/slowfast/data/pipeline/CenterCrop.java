package org.slowfast.data.pipeline;

import org.slowfast.data.Sample;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code CenterCrop}: crop_size is an int or a (w, h) pair. */
public record CenterCrop(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> cropSize, Boolean lazy)
        implements PipelineStep {

    @Override
    public void apply(Sample sample) {
        int[] size = Crops.size(cropSize, "CenterCrop");
        int w = sample.width();
        int h = sample.height();
        Crops.check(size, w, h, "CenterCrop", sample);
        sample.imgs = FrameOps.crop(sample.imgs, (w - size[0]) / 2, (h - size[1]) / 2, size[0], size[1]);
    }
}
