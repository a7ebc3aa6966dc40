package org.slowfast.data.pipeline;

import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.data.Sample;

/** Crop-size arguments: an int {@code s} means (s, s), a pair means (w, h). */
final class Crops {
    private Crops() {}

    static int[] size(List<Integer> cropSize, String step) {
        if (cropSize == null || cropSize.isEmpty() || cropSize.size() > 2) {
            throw new SlowfastException(step + ": crop_size must be an int or a (w, h) pair, got " + cropSize);
        }
        return cropSize.size() == 1 ? new int[] {cropSize.get(0), cropSize.get(0)}
                : new int[] {cropSize.get(0), cropSize.get(1)};
    }

    static void check(int[] size, int w, int h, String step, Sample sample) {
        if (size[0] > w || size[1] > h || size[0] < 1 || size[1] < 1) {
            throw new SlowfastException(sample.file + ": " + step + " " + size[0] + "x" + size[1]
                    + " does not fit the " + w + "x" + h + " frames");
        }
    }
}
