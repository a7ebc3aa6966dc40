package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slowfast.data.pipeline.SampleFrames;

/** SampleFrames offsets and indices, hand-computed from MMAction2 0.x's formulas (reference §3.2). */
class SampleFramesTest {
    static SampleFrames sf(int clipLen, int interval, int clips, boolean test, String outOfBound) {
        return new SampleFrames(clipLen, interval, clips, false, false, outOfBound, test, null, false);
    }

    static double[] offsets(SampleFrames s, int n, long seed) {
        return s.clipOffsets(n, new Random(seed));
    }

    @Test
    void testModeTenClipsOfALongVideo() {
        // avg = (100 - 64 + 1) / 10 = 3.7; offset_k = int(3.7 k + 1.85)
        assertArrayEquals(new double[] {1, 5, 9, 12, 16, 20, 24, 27, 31, 35},
                offsets(sf(32, 2, 10, true, "loop"), 100, 0));
    }

    @Test
    void testModeEdgeLengths() {
        // N == L: avg = 0.1, every int(0.1 k + 0.05) is 0
        assertArrayEquals(new double[10], offsets(sf(32, 2, 10, true, "loop"), 64, 0));
        // N == L - 1 and N < L: zeros
        assertArrayEquals(new double[10], offsets(sf(32, 2, 10, true, "loop"), 63, 0));
        assertArrayEquals(new double[3], offsets(sf(32, 2, 3, true, "loop"), 20, 0));
        // N < num_clips: avg = 5 / 10 = 0.5, int(0.5 k + 0.25)
        assertArrayEquals(new double[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, offsets(sf(1, 1, 10, true, "loop"), 5, 0));
        // one clip: avg = 37, offset int(18.5) = 18
        assertArrayEquals(new double[] {18}, offsets(sf(32, 2, 1, true, "loop"), 100, 0));
    }

    @Test
    void shortClipsLoopOrRepeatTheLastFrameAndStartIndexIsAdded() {
        int[] loop = sf(4, 3, 1, true, "loop").frameIndices(7, 1, new Random(0));
        // N=7 < L=12: offset 0, indices 0,3,6,9 -> 0,3,6,2 (mod 7), +1
        assertArrayEquals(new int[] {1, 4, 7, 3}, loop);
        int[] repeat = sf(4, 3, 1, true, "repeat_last").frameIndices(7, 0, new Random(0));
        assertArrayEquals(new int[] {0, 3, 6, 6}, repeat);
        int[] twoClips = sf(2, 2, 2, true, "loop").frameIndices(10, 0, new Random(0));
        // avg = (10 - 4 + 1) / 2 = 3.5: offsets int(1.75) = 1, int(5.25) = 5
        assertArrayEquals(new int[] {1, 3, 5, 7}, twoClips);
    }

    @Test
    void twiceSampleAppendsTheUnshiftedOffsets() {
        SampleFrames s = new SampleFrames(1, 1, 2, false, true, "loop", true, null, false);
        // avg = 10 / 2 = 5: shifted 2 and 7, then 0 and 5
        assertArrayEquals(new int[] {2, 7, 0, 5}, s.frameIndices(10, 0, new Random(0)));
    }

    @Test
    void trainOffsetsStayInTheirSegments() {
        SampleFrames s = sf(5, 2, 3, false, "loop");
        // avg = (100 - 10 + 1) // 3 = 30: offset_k in [30k, 30k + 30)
        Set<Double> seen = new HashSet<>();
        for (long seed = 0; seed < 300; seed++) {
            double[] o = offsets(s, 100, seed);
            for (int k = 0; k < 3; k++) {
                assertTrue(o[k] >= 30 * k && o[k] < 30 * k + 30, "offset " + o[k]);
                seen.add(o[k] - 30 * k);
            }
        }
        assertEquals(30, seen.size());
        SampleFrames one = sf(32, 2, 1, false, "loop");
        for (long seed = 0; seed < 100; seed++) {
            double o = offsets(one, 100, seed)[0];
            assertTrue(o >= 0 && o <= 36);
        }
    }

    @Test
    void trainBranchesWithoutRoomForEverySegment() {
        // L = 4, n = 3, N = 4: avg = 1 // 3 = 0, N > max(n, L) fails -> round(k / 3) = 0, 0, 1
        assertArrayEquals(new double[] {0, 0, 1}, offsets(sf(4, 1, 3, false, "loop"), 4, 0));
        // N = 5: N > max(3, 4) -> three sorted draws from [0, 2)
        for (long seed = 0; seed < 50; seed++) {
            double[] o = offsets(sf(4, 1, 3, false, "loop"), 5, seed);
            assertTrue(o[0] <= o[1] && o[1] <= o[2] && o[0] >= 0 && o[2] <= 1);
        }
        // N = 3 < L = 4, n = 1: avg = 0 -> round(0) = 0; N = 2: avg = -1 -> zeros
        assertArrayEquals(new double[] {0}, offsets(sf(4, 1, 1, false, "loop"), 3, 0));
        assertArrayEquals(new int[] {0, 1, 0, 1}, sf(4, 1, 1, false, "loop").frameIndices(2, 0, new Random(0)));
    }

    @Test
    void keepTailFramesAndTemporalJitterStayInRange() {
        // keep_tail_frames: offset_k = int(k·avg + U[0, avg)), avg = (100 − 10 + 1) / 3 = 30.33
        SampleFrames tail = new SampleFrames(5, 2, 3, false, false, "loop", false, null, true);
        for (long seed = 0; seed < 100; seed++) {
            double[] o = tail.clipOffsets(100, ClipDataset.random(seed, 0, 0, 0));
            for (int k = 0; k < 3; k++) {
                assertTrue(o[k] >= Math.floor(k * 91 / 3.0) && o[k] < (k + 1) * 91 / 3.0, "offset " + o[k]);
            }
        }
        // temporal jitter adds randint(frame_interval) to each index before the wrap: test offset 18, indices
        // 18 + 4i + [0, 4)
        SampleFrames jitter = new SampleFrames(4, 4, 1, true, false, "loop", true, null, false);
        Set<Integer> extra = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            int[] inds = jitter.frameIndices(52, 0, ClipDataset.random(seed, 0, 0, 0));
            for (int i = 0; i < 4; i++) {
                int d = inds[i] - (18 + 4 * i);
                assertTrue(d >= 0 && d < 4);
                extra.add(d);
            }
        }
        assertEquals(Set.of(0, 1, 2, 3), extra);
    }
}
