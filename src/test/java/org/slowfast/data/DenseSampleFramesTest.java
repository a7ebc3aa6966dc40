package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slowfast.data.pipeline.DenseSampleFrames;
import org.slowfast.eval.TestInputShape;

/** DenseSampleFrames offsets and indices, hand-computed from MMAction2 0.x's {@code DenseSampleFrames}. */
class DenseSampleFramesTest {
    static DenseSampleFrames dense(int clipLen, int clips, int range, int positions, boolean test) {
        return new DenseSampleFrames(clipLen, 1, clips, range, positions, false, null, test, null);
    }

    @Test
    void testModeSpreadsTheStartsOverTheVideo() {
        // n = 100, range 64: sample_position = 37, interval = 64 / 2 = 32;
        // starts = int(linspace(0, 36, 3)) = 0, 18, 36; offsets (start + 0, start + 32) % 100
        DenseSampleFrames d = dense(4, 2, 64, 3, true);
        assertArrayEquals(new double[] {0, 32, 18, 50, 36, 68}, d.clipOffsets(100, new Random(0)));
        // 4 starts over [0, 36]: step 12 -> 0, 12, 24, 36
        assertArrayEquals(new double[] {0, 32, 12, 44, 24, 56, 36, 68},
                dense(4, 2, 64, 4, true).clipOffsets(100, null));
        // n = 50 (< range): one start position, clip 2 wraps: 32 % 50 = 32; n = 20: 32 % 20 = 12
        assertArrayEquals(new double[] {0, 32, 0, 32, 0, 32}, d.clipOffsets(50, null));
        assertArrayEquals(new double[] {0, 12, 0, 12, 0, 12}, d.clipOffsets(20, null));
        // frames of n = 20: clip at 12 is 12..15, start_index 1 added; 6 clips of 4
        int[] inds = d.frameIndices(20, 1, null);
        assertEquals(24, inds.length);
        assertArrayEquals(new int[] {1, 2, 3, 4, 13, 14, 15, 16}, java.util.Arrays.copyOf(inds, 8));
        // a linspace step that is not an integer: n = 74 -> sample_position 11, 4 starts: 0, 3.33, 6.67, 10 -> 0 3 6 10
        assertArrayEquals(new double[] {0, 3, 6, 10}, dense(2, 1, 64, 4, true).clipOffsets(74, null));
    }

    @Test
    void trainModeDrawsOneStartBelowSamplePositionMinusOne() {
        // n = 100: sample_position 37, start = randint(0, 36) in [0, 35]; clips start + 0, 16, 32, 48 (range 64 / 4)
        DenseSampleFrames d = dense(2, 4, 64, 10, false);
        boolean sawTop = false;
        for (long seed = 0; seed < 400; seed++) {
            double[] o = d.clipOffsets(100, new Random(seed));
            assertEquals(4, o.length);
            assertTrue(o[0] >= 0 && o[0] <= 35, "start " + o[0]);
            sawTop |= o[0] == 35;
            for (int k = 1; k < 4; k++) {
                assertEquals((o[0] + 16 * k) % 100, o[k]);
            }
        }
        assertTrue(sawTop);
        // a short video has a single start, 0: n = 64 -> sample_position 1; n = 65 -> 2, randint(0, 1) = 0
        assertArrayEquals(new double[] {0, 16, 32, 48}, d.clipOffsets(64, new Random(1)));
        assertArrayEquals(new double[] {0, 16, 32, 48}, d.clipOffsets(65, new Random(1)));
    }

    @Test
    void testViewsCountEveryPositionAndCrop() {
        // 2 clips x 3 positions x ThreeCrop = 18 views, as FormatShape stacks them
        var pipeline = java.util.List.<org.slowfast.data.pipeline.PipelineStep>of(dense(4, 2, 64, 3, true),
                new org.slowfast.data.pipeline.ThreeCrop(java.util.List.of(8)));
        assertEquals(18, TestInputShape.of(pipeline, "test").views());
    }
}
