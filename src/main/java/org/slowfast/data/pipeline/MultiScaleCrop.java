package org.slowfast.data.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slowfast.data.Sample;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code MultiScaleCrop}: TSN-style multi-scale crop (reference §3.6). */
public record MultiScaleCrop(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> inputSize,
        List<Double> scales,
        Integer maxWhScaleGap,
        Boolean randomCrop,
        Integer numFixedCrops,
        Boolean lazy) implements PipelineStep {
    public MultiScaleCrop {
        if (scales == null) {
            scales = List.of(1.0);
        }
        if (maxWhScaleGap == null) {
            maxWhScaleGap = 1;
        }
        if (randomCrop == null) {
            randomCrop = false;
        }
        if (numFixedCrops == null) {
            numFixedCrops = 5;
        }
        if (lazy == null) {
            lazy = false;
        }
    }

    /** The crop box {x, y, w, h} for a {@code w × h} image (reference §3.6). */
    public int[] cropBox(int w, int h, Random rng) {
        int[] input = Crops.size(inputSize, "MultiScaleCrop");
        int base = Math.min(w, h);
        int[] sizes = new int[scales.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = (int) (base * scales.get(i));
        }
        List<int[]> candidates = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            for (int j = 0; j < sizes.length; j++) {
                if (Math.abs(i - j) <= maxWhScaleGap) {
                    candidates.add(new int[] {sizes[j], sizes[i]});
                }
            }
        }
        int[] crop = candidates.get(rng.nextInt(candidates.size())).clone();
        for (int i = 0; i < 2; i++) {
            if (Math.abs(crop[i] - input[i]) < 3) {
                crop[i] = input[i];
            }
        }
        int cw = crop[0];
        int ch = crop[1];
        if (randomCrop) {
            return new int[] {rng.nextInt(w - cw + 1), rng.nextInt(h - ch + 1), cw, ch};
        }
        int ws = (w - cw) / 4;
        int hs = (h - ch) / 4;
        List<int[]> offsets = new ArrayList<>(List.of(new int[] {0, 0}, new int[] {4 * ws, 0},
                new int[] {0, 4 * hs}, new int[] {4 * ws, 4 * hs}, new int[] {2 * ws, 2 * hs}));
        if (numFixedCrops == 13) {
            offsets.addAll(List.of(new int[] {0, 2 * hs}, new int[] {4 * ws, 2 * hs}, new int[] {2 * ws, 4 * hs},
                    new int[] {2 * ws, 0}, new int[] {ws, hs}, new int[] {3 * ws, hs}, new int[] {ws, 3 * hs},
                    new int[] {3 * ws, 3 * hs}));
        }
        int[] o = offsets.get(rng.nextInt(offsets.size()));
        return new int[] {o[0], o[1], cw, ch};
    }

    @Override
    public void apply(Sample sample) {
        int[] box = cropBox(sample.width(), sample.height(), sample.rng);
        Crops.check(new int[] {box[2], box[3]}, sample.width(), sample.height(), "MultiScaleCrop", sample);
        sample.imgs = FrameOps.crop(sample.imgs, box[0], box[1], box[2], box[3]);
    }
}
