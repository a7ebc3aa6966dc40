package org.slowfast.data.pipeline;

import java.util.Random;
import org.slowfast.data.Sample;

import java.util.List;

/** {@code RandomResizedCrop}: one random area/aspect crop per clip. */
public record RandomResizedCrop(List<Double> areaRange, List<Double> aspectRatioRange, Boolean lazy)
        implements PipelineStep {
    public RandomResizedCrop {
        if (areaRange == null) {
            areaRange = List.of(0.08, 1.0);
        }
        if (aspectRatioRange == null) {
            aspectRatioRange = List.of(3.0 / 4.0, 4.0 / 3.0);
        }
        if (lazy == null) {
            lazy = false;
        }
    }

    /** The crop box {x, y, w, h} for a {@code w × h} image: the first of 10 candidates that fits, else the centre. */
    public int[] cropBox(int w, int h, Random rng) {
        double logLo = Math.log(aspectRatioRange.get(0));
        double logHi = Math.log(aspectRatioRange.get(1));
        int[] cw = new int[10];
        int[] ch = new int[10];
        double[] ratios = new double[10];
        for (int i = 0; i < 10; i++) {
            ratios[i] = Math.exp(logLo + (logHi - logLo) * rng.nextDouble());
        }
        for (int i = 0; i < 10; i++) {
            double area = (areaRange.get(0) + (areaRange.get(1) - areaRange.get(0)) * rng.nextDouble()) * h * w;
            cw[i] = (int) Math.rint(Math.sqrt(area * ratios[i]));
            ch[i] = (int) Math.rint(Math.sqrt(area / ratios[i]));
        }
        for (int i = 0; i < 10; i++) {
            if (ch[i] <= h && cw[i] <= w) {
                int x = rng.nextInt(w - cw[i] + 1);
                int y = rng.nextInt(h - ch[i] + 1);
                return new int[] {x, y, cw[i], ch[i]};
            }
        }
        int side = Math.min(w, h);
        return new int[] {(w - side) / 2, (h - side) / 2, side, side};
    }

    @Override
    public void apply(Sample sample) {
        int[] box = cropBox(sample.width(), sample.height(), sample.rng);
        sample.imgs = FrameOps.crop(sample.imgs, box[0], box[1], box[2], box[3]);
    }
}
