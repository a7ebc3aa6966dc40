package org.slowfast.data.pipeline;

import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.data.Frame;
import org.slowfast.data.Sample;

/** {@code FormatShape}: lay frames out as NCTHW (crops·clips, C, T, H, W) or NCHW. */
public record FormatShape(String inputFormat, Boolean collapse) implements PipelineStep {
    public FormatShape {
        if (collapse == null) {
            collapse = false;
        }
    }

    /**
     * Writes the frames as floats into {@code sample.out} (allocated if null) at {@code sample.outOffset}, normalised
     * if a Normalize step came before: NCTHW is (crops·clips, 3, clip_len, H, W) with view = crop·clips + clip, NCHW
     * is (frames, 3, H, W).
     */
    @Override
    public void apply(Sample sample) {
        List<Frame> imgs = sample.imgs;
        int m = imgs.size();
        int h = sample.height();
        int w = sample.width();
        int t;
        long[] shape;
        if ("NCTHW".equals(inputFormat)) {
            t = sample.clipLen;
            if (t < 1 || m % (t * Math.max(1, sample.numClips)) != 0) {
                throw new SlowfastException("FormatShape: " + m + " frames do not split into clips of " + t);
            }
            shape = new long[] {m / t, 3, t, h, w};
        } else if ("NCHW".equals(inputFormat)) {
            t = 1;
            shape = new long[] {m, 3, h, w};
        } else {
            throw new SlowfastException("FormatShape: input_format '" + inputFormat + "' is not supported (NCTHW, NCHW)");
        }
        if (collapse) {
            if (shape[0] != 1) {
                throw new SlowfastException("FormatShape: collapse needs one view, got " + shape[0]);
            }
            long[] s = new long[shape.length - 1];
            System.arraycopy(shape, 1, s, 0, s.length);
            shape = s;
        }
        sample.inputShape = shape;
        if (sample.out == null) {
            sample.out = new float[sample.outputLength()];
            sample.outOffset = 0;
        }
        float[] shift = new float[3];
        float[] factor = {1, 1, 1};
        if (sample.mean != null) {
            for (int c = 0; c < 3; c++) {
                shift[c] = (float) sample.mean[c];
                factor[c] = (float) (1.0 / sample.std[c]);
            }
        }
        int hw = h * w;
        int c0 = sample.toBgr ? 2 : 0;
        int c2 = 2 - c0;
        float[] out = sample.out;
        for (int i = 0; i < m; i++) {
            int view = i / t;
            int frame = i % t;
            byte[] rgb = imgs.get(i).rgb();
            int r = sample.outOffset + ((view * 3) * t + frame) * hw;
            int g = r + t * hw;
            int b = g + t * hw;
            for (int p = 0, q = 0; p < hw; p++, q += 3) {
                out[r + p] = ((rgb[q + c0] & 0xff) - shift[0]) * factor[0];
                out[g + p] = ((rgb[q + 1] & 0xff) - shift[1]) * factor[1];
                out[b + p] = ((rgb[q + c2] & 0xff) - shift[2]) * factor[2];
            }
        }
    }
}
