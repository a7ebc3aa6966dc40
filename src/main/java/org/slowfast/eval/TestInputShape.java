package org.slowfast.eval;

import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.data.pipeline.CenterCrop;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.RandomCrop;
import org.slowfast.data.pipeline.Resize;
import org.slowfast.data.pipeline.FrameSampler;
import org.slowfast.data.pipeline.TenCrop;
import org.slowfast.data.pipeline.ThreeCrop;

/**
 * The shape of one video's input after a test pipeline, V×3×T×H×W: V = clips (twice with {@code twice_sample}) ×
 * crops (3 for ThreeCrop, 10 for TenCrop), T = {@code clip_len}, H×W from the last fixed-size step (a crop, or a
 * Resize without keep_ratio).
 */
public record TestInputShape(int views, int clipLen, int height, int width) {

    public static TestInputShape of(List<PipelineStep> pipeline, String where) {
        FrameSampler sample = null;
        int crops = 1;
        int height = -1;
        int width = -1;
        for (PipelineStep step : pipeline == null ? List.<PipelineStep>of() : pipeline) {
            List<Integer> size = null;
            if (step instanceof FrameSampler s) {
                sample = s;
            } else if (step instanceof ThreeCrop c) {
                crops = 3;
                size = c.cropSize();
            } else if (step instanceof TenCrop c) {
                crops = 10;
                size = c.cropSize();
            } else if (step instanceof CenterCrop c) {
                size = c.cropSize();
            } else if (step instanceof RandomCrop c) {
                size = List.of(c.size());
            } else if (step instanceof Resize r && !r.keepRatio() && r.scale() != null && r.scale().size() == 2
                    && r.scale().get(0) > 0 && r.scale().get(1) > 0) {
                size = List.of(r.scale().get(0).intValue(), r.scale().get(1).intValue());
            }
            if (size != null && !size.isEmpty()) {
                width = size.get(0);
                height = size.size() > 1 ? size.get(1) : size.get(0);
            }
        }
        if (sample == null || sample.clipLen() == null) {
            throw new SlowfastException(where + ": the pipeline has no SampleFrames with clip_len");
        }
        if (height <= 0 || width <= 0) {
            throw new SlowfastException(where + ": cannot infer the input size; the pipeline ends without a "
                    + "fixed-size crop or Resize");
        }
        return new TestInputShape(sample.clipsPerSample() * crops, sample.clipLen(), height, width);
    }

    /** The {@code clip_len} of the pipeline's SampleFrames. */
    public static int clipLen(List<PipelineStep> pipeline, String where) {
        for (PipelineStep step : pipeline == null ? List.<PipelineStep>of() : pipeline) {
            if (step instanceof FrameSampler s && s.clipLen() != null) {
                return s.clipLen();
            }
        }
        throw new SlowfastException(where + ": the pipeline has no SampleFrames with clip_len");
    }

    /** {@code [batch, V, 3, T, H, W]}. */
    public long[] batchShape(int batch) {
        return new long[] {batch, views, 3, clipLen, height, width};
    }

    @Override
    public String toString() {
        return views + "x3x" + clipLen + "x" + height + "x" + width;
    }
}
