package org.slowfast.data.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.data.Frame;
import org.slowfast.data.Sample;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code ThreeCrop}: left/right/middle (or top/bottom/middle) crops, crop-major output. */
public record ThreeCrop(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> cropSize)
        implements PipelineStep {

    /** The (x, y) offsets in output order: left, right, middle (or top, bottom, middle). */
    public static int[][] offsets(int w, int h, int cropW, int cropH) {
        if (cropH == h) {
            int step = (w - cropW) / 2;
            return new int[][] {{0, 0}, {2 * step, 0}, {step, 0}};
        }
        int step = (h - cropH) / 2;
        return new int[][] {{0, 0}, {0, 2 * step}, {0, step}};
    }

    @Override
    public void apply(Sample sample) {
        int[] size = Crops.size(cropSize, "ThreeCrop");
        int w = sample.width();
        int h = sample.height();
        if (size[1] != h && size[0] != w) {
            throw new SlowfastException(sample.file + ": ThreeCrop " + size[0] + "x" + size[1]
                    + " needs the crop height or width to equal the image's (" + w + "x" + h + ")");
        }
        Crops.check(size, w, h, "ThreeCrop", sample);
        List<Frame> out = new ArrayList<>(3 * sample.imgs.size());
        for (int[] o : offsets(w, h, size[0], size[1])) {
            out.addAll(FrameOps.crop(sample.imgs, o[0], o[1], size[0], size[1]));
        }
        sample.imgs = out;
    }
}
