package org.slowfast.data.pipeline;

import org.slowfast.SlowfastException;
import org.slowfast.data.Sample;

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

    /** The new (w, h) for a {@code w × h} image, as mmcv.rescale_size / MMAction2's Resize compute it. */
    public int[] newSize(int w, int h) {
        if (scale.size() == 1) {
            double factor = scale.get(0);
            return new int[] {(int) (w * factor + 0.5), (int) (h * factor + 0.5)};
        }
        if (scale.size() != 2) {
            throw new SlowfastException("Resize: scale must be a number or a pair, got " + scale);
        }
        double a = scale.get(0) == -1 ? Double.POSITIVE_INFINITY : scale.get(0);
        double b = scale.get(1) == -1 ? Double.POSITIVE_INFINITY : scale.get(1);
        if (!keepRatio) {
            if (Double.isInfinite(a) || Double.isInfinite(b)) {
                throw new SlowfastException("Resize: scale " + scale + " needs keep_ratio=True");
            }
            return new int[] {(int) a, (int) b};
        }
        double longEdge = Math.max(a, b);
        double shortEdge = Math.min(a, b);
        double factor = Math.min(longEdge / Math.max(w, h), shortEdge / Math.min(w, h));
        return new int[] {(int) (w * factor + 0.5), (int) (h * factor + 0.5)};
    }

    @Override
    public void apply(Sample sample) {
        if (!"bilinear".equals(interpolation)) {
            throw new SlowfastException("Resize: interpolation '" + interpolation + "' is not supported (bilinear only)");
        }
        int[] size = newSize(sample.width(), sample.height());
        sample.imgs = FrameOps.resize(sample.imgs, size[0], size[1]);
    }
}
