package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;
import org.slowfast.data.pipeline.CenterCrop;
import org.slowfast.data.pipeline.ColorJitter;
import org.slowfast.data.pipeline.MultiScaleCrop;
import org.slowfast.data.pipeline.RandomCrop;
import org.slowfast.data.pipeline.Flip;
import org.slowfast.data.pipeline.FormatShape;
import org.slowfast.data.pipeline.Normalize;
import org.slowfast.data.pipeline.RandomResizedCrop;
import org.slowfast.data.pipeline.Resize;
import org.slowfast.data.pipeline.TenCrop;
import org.slowfast.data.pipeline.ThreeCrop;

/** Each transform against hand-computed expectations on tiny frames. */
class TransformsTest {
    static Sample sample(List<Frame> frames) {
        Sample s = new Sample(0, Path.of("vid"), new Random(0));
        s.imgs = frames;
        s.clipLen = frames.size();
        s.numClips = 1;
        return s;
    }

    static Frame grey(int w, int h, int... values) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < values.length; i++) {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte) values[i];
        }
        return new Frame(w, h, rgb);
    }

    static int[] red(Frame f) {
        int[] out = new int[f.width() * f.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.rgb()[3 * i] & 0xff;
        }
        return out;
    }

    static Resize resize(double w, double h, boolean keepRatio) {
        return new Resize(List.of(w, h), keepRatio, null, null);
    }

    static Frame resized(Frame f, int w, int h) {
        Sample s = sample(List.of(f));
        resize(w, h, false).apply(s);
        return s.imgs.get(0);
    }

    @Test
    void resizeSizesFollowMmcvRescaleSize() {
        Resize shortSide = resize(-1, 256, true);
        assertArrayEquals(new int[] {340, 256}, shortSide.newSize(340, 256));
        assertArrayEquals(new int[] {341, 256}, shortSide.newSize(320, 240)); // 320·256/240 = 341.33
        assertArrayEquals(new int[] {256, 341}, shortSide.newSize(240, 320));
        assertArrayEquals(new int[] {455, 256}, shortSide.newSize(640, 360)); // 455.11
        assertArrayEquals(new int[] {224, 224}, resize(224, 224, false).newSize(640, 360));
        assertArrayEquals(new int[] {3, 2}, new Resize(List.of(0.5), true, null, null).newSize(5, 3)); // int(2.5+.5)
    }

    @Test
    void bilinearMatchesOpenCvFixedPointFormula() {
        // 2 -> 4 wide: fx = 0.5·(dx + 0.5) − 0.5 = −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to the last pixel).
        // Weights 1536/512 (11 bits); (((255·512)>>4)·2048>>16 + 2)>>2 = 64 and (((255·1536)>>4)·2048>>16 + 2)>>2 = 191.
        assertArrayEquals(new int[] {0, 64, 191, 255}, red(resized(grey(2, 1, 0, 255), 4, 1)));
        // the same along y: rows are clamped, weights 512/1536 at dy = 0 read row 0 twice
        assertArrayEquals(new int[] {0, 64, 191, 255}, red(resized(grey(1, 2, 0, 255), 1, 4)));
        // 4 -> 2 wide (not an exact 2x2 shrink since the height stays): fx = 0.5 and 2.5, half weights
        assertArrayEquals(new int[] {50, 225}, red(resized(grey(4, 1, 0, 100, 200, 250), 2, 1)));
        // 2 -> 3 wide: fx = −1/6 (clamped), 0.5, 7/6 (clamped): 10, 15, 20
        assertArrayEquals(new int[] {10, 15, 20}, red(resized(grey(2, 1, 10, 20), 3, 1)));
        // an exact 2x shrink is OpenCV's INTER_AREA: (sum of the 2x2 block + 2) >> 2
        assertArrayEquals(new int[] {3, 7}, red(resized(grey(4, 2, 1, 2, 5, 6, 3, 4, 7, 9), 2, 1)));
        // same size: untouched
        assertArrayEquals(new int[] {7, 8}, red(resized(grey(2, 1, 7, 8), 2, 1)));
    }

    @Test
    void centerCropOffsets() {
        Sample s = sample(List.of(TinyData.frame(1, 0, 7, 5)));
        new CenterCrop(List.of(3), null).apply(s);
        Frame f = s.imgs.get(0);
        assertEquals(3, f.width());
        assertEquals(3, f.height());
        // left = (7 − 3) // 2 = 2, top = (5 − 3) // 2 = 1: the top-left pixel has G = x = 2 and B = y = 1
        assertEquals(2, f.rgb()[1]);
        assertEquals(1, f.rgb()[2]);
    }

    @Test
    void threeCropIsLeftRightMiddleAndCropMajor() {
        Sample s = sample(List.of(TinyData.frame(1, 0, 10, 4), TinyData.frame(2, 0, 10, 4)));
        new ThreeCrop(List.of(4)).apply(s);
        // step = (10 − 4) // 2 = 3: x offsets 0, 6, 3; frames 1, 2 within each crop
        int[][] expected = {{0, 1}, {0, 2}, {6, 1}, {6, 2}, {3, 1}, {3, 2}};
        assertEquals(6, s.imgs.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i][0], s.imgs.get(i).rgb()[1], "x offset of output " + i);
            assertEquals(expected[i][1], s.imgs.get(i).rgb()[0], "frame of output " + i);
        }
        Sample portrait = sample(List.of(TinyData.frame(1, 0, 4, 9)));
        new ThreeCrop(List.of(4)).apply(portrait);
        int[] tops = portrait.imgs.stream().mapToInt(f -> f.rgb()[2]).toArray();
        assertArrayEquals(new int[] {0, 4, 2}, tops);
        assertThrows(SlowfastException.class, () -> new ThreeCrop(List.of(3)).apply(sample(
                List.of(TinyData.frame(1, 0, 10, 4)))));
    }

    @Test
    void tenCropIsFiveCropsEachFollowedByItsFlip() {
        Sample s = sample(List.of(TinyData.frame(1, 0, 12, 8)));
        new TenCrop(List.of(4)).apply(s);
        // w step (12 − 4) // 4 = 2, h step (8 − 4) // 4 = 1: (0,0), (8,0), (0,4), (8,4), (4,2)
        int[][] origins = {{0, 0}, {8, 0}, {0, 4}, {8, 4}, {4, 2}};
        for (int k = 0; k < 5; k++) {
            Frame crop = s.imgs.get(2 * k);
            Frame flipped = s.imgs.get(2 * k + 1);
            assertEquals(origins[k][0], crop.rgb()[1]);
            assertEquals(origins[k][1], crop.rgb()[2]);
            assertEquals(origins[k][0] + 3, flipped.rgb()[1]);
        }
    }

    @Test
    void flipMirrorsEveryFrameAndMapsTheLabel() {
        Sample s = sample(List.of(TinyData.frame(1, 0, 3, 1), TinyData.frame(2, 0, 3, 1)));
        s.label = 2;
        new Flip(1.0, null, Map.of(2, 4, 4, 2), null, null, null).apply(s);
        assertEquals(4, s.label);
        assertTrue(s.flip);
        for (Frame f : s.imgs) {
            assertArrayEquals(new byte[] {2, 1, 0}, new byte[] {f.rgb()[1], f.rgb()[4], f.rgb()[7]});
        }
        Sample kept = sample(List.of(TinyData.frame(1, 0, 3, 1)));
        kept.label = 2;
        new Flip(0.0, null, Map.of(2, 4), null, null, null).apply(kept);
        assertEquals(2, kept.label);
        assertEquals(0, kept.imgs.get(0).rgb()[1]);
    }

    @Test
    void randomResizedCropFallsBackToTheCentredSquare() {
        // area 1 and ratio 1 on 8x6: every candidate is round(√48) = 7 > 6 high: centre square 6 at ((8 − 6) // 2, 0)
        RandomResizedCrop never = new RandomResizedCrop(List.of(1.0, 1.0), List.of(1.0, 1.0), null);
        assertArrayEquals(new int[] {1, 0, 6, 6}, never.cropBox(8, 6, new Random(3)));
        RandomResizedCrop standard = new RandomResizedCrop(null, null, null);
        for (int seed = 0; seed < 200; seed++) {
            int[] b = standard.cropBox(40, 30, new Random(seed));
            assertTrue(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= 40 && b[1] + b[3] <= 30);
            double area = b[2] * b[3] / 1200.0;
            assertTrue(area > 0.05 && area < 1.05, "area share " + area);
        }
    }

    @Test
    void normalizeAndFormatShapeLayThreeCropsOfTwoClipsOut() {
        // 3 crops x 2 clips x clip_len 2 of 2x1 frames; frame i (crop-major) has R = i, G = 10 + i, B = 20 + x
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] rgb = {(byte) i, (byte) (10 + i), 20, (byte) i, (byte) (10 + i), 21};
            frames.add(new Frame(2, 1, rgb));
        }
        Sample s = sample(frames);
        s.clipLen = 2;
        s.numClips = 2;
        new Normalize(List.of(1.0, 2.0, 3.0), List.of(2.0, 4.0, 5.0), false, null).apply(s);
        new FormatShape("NCTHW", null).apply(s);
        assertArrayEquals(new long[] {6, 3, 2, 1, 2}, s.inputShape);
        // out[v][c][t][0][x]: v = crop·2 + clip reads frame v·2 + t
        float[] out = s.out;
        int v = 3; // crop 1, clip 1
        int t = 1; // frame 7
        assertEquals((7 - 1.0f) / 2, out[((v * 3) * 2 + t) * 2], 1e-6);
        assertEquals((17 - 2.0f) / 4, out[((v * 3 + 1) * 2 + t) * 2], 1e-6);
        assertEquals((21 - 3.0f) / 5, out[((v * 3 + 2) * 2 + t) * 2 + 1], 1e-6);
        Sample bgr = sample(List.of(new Frame(1, 1, new byte[] {10, 20, 30})));
        new Normalize(List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0), true, null).apply(bgr);
        new FormatShape("NCTHW", null).apply(bgr);
        assertArrayEquals(new float[] {30, 20, 10}, bgr.out);
        Sample nchw = sample(List.of(new Frame(1, 1, new byte[] {1, 2, 3}), new Frame(1, 1, new byte[] {4, 5, 6})));
        new FormatShape("NCHW", null).apply(nchw);
        assertArrayEquals(new long[] {2, 3, 1, 1}, nchw.inputShape);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, nchw.out);
    }

    @Test
    void filenameTemplatesFollowPythonFormat() {
        assertEquals("img_00042.jpg", PythonFormat.format("img_{:05}.jpg", 42));
        assertEquals("000042.jpg", PythonFormat.format("{:06d}.jpg", 42));
        assertEquals("7.png", PythonFormat.format("{}.png", 7));
        assertEquals("   7", PythonFormat.format("{:4}", 7));
        assertEquals("{x}_7", PythonFormat.format("{{x}}_{}", 7));
        assertThrows(IllegalArgumentException.class, () -> PythonFormat.format("img.jpg", 1));
        assertThrows(IllegalArgumentException.class, () -> PythonFormat.format("{:.2f}", 1));
    }

    @Test
    void randomCropDrawsOffsetsBelowTheExclusiveBound() {
        Set<Integer> xs = new HashSet<>();
        Set<Integer> ys = new HashSet<>();
        for (int seed = 0; seed < 200; seed++) {
            Sample seeded = new Sample(0, Path.of("vid"), ClipDataset.random(seed, 0, 0, 0));
            seeded.imgs = List.of(TinyData.frame(1, 0, 10, 6));
            new RandomCrop(4, null).apply(seeded);
            xs.add((int) seeded.imgs.get(0).rgb()[1]);
            ys.add((int) seeded.imgs.get(0).rgb()[2]);
        }
        // np.random.randint(0, 10 − 4) and randint(0, 6 − 4): 0..5 and 0..1
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), xs);
        assertEquals(Set.of(0, 1), ys);
    }

    @Test
    void multiScaleCropUsesFixedOffsetsAndSnapsNearSizes() {
        MultiScaleCrop fixed = new MultiScaleCrop(List.of(8), List.of(1.0), null, null, null, null);
        Set<Integer> xs = new HashSet<>();
        for (int seed = 0; seed < 100; seed++) {
            int[] box = fixed.cropBox(12, 8, ClipDataset.random(seed, 0, 0, 0));
            assertEquals(8, box[2]);
            assertEquals(8, box[3]);
            assertEquals(0, box[1]);
            xs.add(box[0]);
        }
        // w step (12 − 8) // 4 = 1: offsets (0,0), (4,0), (0,0), (4,0), (2,0)
        assertEquals(Set.of(0, 2, 4), xs);
        // base 100 · 0.66 = 66 is within 3 of input 64: snapped
        int[] snapped = new MultiScaleCrop(List.of(64), List.of(0.66), null, null, null, null)
                .cropBox(120, 100, new Random(0));
        assertEquals(64, snapped[2]);
        assertEquals(64, snapped[3]);
    }

    @Test
    void colorJitterBrightnessScalesEveryPixelByOneFactor() {
        Frame f = grey(3, 1, 100, 40, 200);
        Sample s = sample(List.of(f, f));
        new ColorJitter(0.5, 0.0, 0.0, 0.0).apply(s);
        double factor = (s.imgs.get(0).rgb()[0] & 0xff) / 100.0;
        assertTrue(factor >= 0.5 && factor <= 1.5);
        for (Frame out : s.imgs) {
            assertEquals(Math.round(40 * factor), out.rgb()[3] & 0xff, 1);
            assertEquals(Math.min(255, Math.round(200 * factor)), out.rgb()[6] & 0xff, 2);
        }
    }
}
