package org.slowfast.data.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.slowfast.data.Frame;
import org.slowfast.data.Sample;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code TenCrop}: five crops and their horizontal flips. */
public record TenCrop(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> cropSize)
        implements PipelineStep {

    @Override
    public void apply(Sample sample) {
        int[] size = Crops.size(cropSize, "TenCrop");
        int w = sample.width();
        int h = sample.height();
        Crops.check(size, w, h, "TenCrop", sample);
        int ws = (w - size[0]) / 4;
        int hs = (h - size[1]) / 4;
        int[][] offsets = {{0, 0}, {4 * ws, 0}, {0, 4 * hs}, {4 * ws, 4 * hs}, {2 * ws, 2 * hs}};
        List<Frame> out = new ArrayList<>(10 * sample.imgs.size());
        for (int[] o : offsets) {
            List<Frame> crop = FrameOps.crop(sample.imgs, o[0], o[1], size[0], size[1]);
            out.addAll(crop);
            for (Frame f : crop) {
                out.add(FrameOps.flipHorizontal(f));
            }
        }
        sample.imgs = out;
    }
}
