package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.video.IndexedClip;
import org.slowfast.data.video.VideoWriter;

class ClipDatasetTest {
    @TempDir Path root;

    @Test
    void testSampleDecodesTheSampledRawframesThroughThePipeline() {
        TinyData.rawframes(root, new int[] {20, 9}, 4, 12, 8);
        ClipDataset ds = ClipDataset.build(TinyData.config(root, TinyData.TEST_PIPELINE, ""), "test");
        assertEquals(2, ds.size());
        assertArrayEquals(new int[] {0, 1}, ds.labels());
        assertEquals(true, ds.testMode());
        Sample s = ds.sample(0, 0, 0);
        // N = 20, L = 8, 2 clips: avg = 6.5, offsets int(3.25) = 3, int(9.75) = 9; +start_index 1
        assertArrayEquals(new int[] {4, 6, 8, 10, 10, 12, 14, 16}, s.frameInds);
        // decoded frame numbers are the R channel
        for (int i = 0; i < 8; i++) {
            assertEquals(s.frameInds[i], s.decoded.get(i).rgb()[0]);
        }
        // Resize (-1, 8) keeps 12x8; ThreeCrop 8: 3 crops x 2 clips
        assertArrayEquals(new long[] {6, 3, 4, 8, 8}, s.inputShape);
        // short video: N = 9 > L − 1 = 7: avg = 1, offsets int(0.5) = 0, int(1.5) = 1
        assertArrayEquals(new int[] {1, 3, 5, 7, 2, 4, 6, 8}, ds.sample(1, 0, 0).frameInds);
    }

    @Test
    void repeatDatasetVisitsEveryVideoTimesOverWithDenseSampling() throws Exception {
        TinyData.rawframes(root, new int[] {20, 9}, 4, 12, 8);
        String pipeline = TinyData.TRAIN_PIPELINE.replace("{type: SampleFrames, clip_len: 4, frame_interval: 2, "
                + "num_clips: 1}", "{type: DenseSampleFrames, clip_len: 2, frame_interval: 1, num_clips: 2, "
                + "sample_range: 8}");
        Path cfg = Files.writeString(root.resolve("repeat.yaml"), String.join("\n",
                "_base_: cfg.yaml",
                "data:",
                "  train:",
                "    _delete_: true",
                "    type: RepeatDataset",
                "    times: 3",
                "    dataset:",
                "      type: RawframeDataset",
                "      ann_file: " + root.resolve("list.txt"),
                "      data_prefix: " + root.resolve("rawframes"),
                "      filename_tmpl: 'img_{:05}.png'",
                "      pipeline:",
                pipeline.indent(8)));
        TinyData.config(root, TinyData.TRAIN_PIPELINE, ""); // writes cfg.yaml, the base
        ClipDataset ds = ClipDataset.build(LoadedConfig.load(cfg, java.util.List.of()), "train");
        SlowfastException zero = assertThrows(SlowfastException.class,
                () -> LoadedConfig.load(cfg, java.util.List.of("data.train.times=0")));
        assertEquals("--cfg-options data.train.times=0: data.train.times: must be at least 1, got 0",
                zero.getMessage());
        SlowfastException none = assertThrows(SlowfastException.class,
                () -> LoadedConfig.load(cfg, java.util.List.of("data.train.times=null")));
        assertEquals(cfg + ":3:3: data.train: RepeatDataset needs 'times'", none.getMessage());
        assertEquals(6, ds.size());
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, ds.labels());
        for (int i = 0; i < 6; i++) {
            Sample s = ds.sample(i, 7, 0);
            assertEquals(root.resolve("rawframes/vid" + (i % 2)), s.file);
            // dense: sample_position = max(1, 1 + n - 8), clips start 4 apart (8 / 2), modulo n, start_index 1
            int n = i % 2 == 0 ? 20 : 9;
            assertEquals(4, s.frameInds.length);
            assertEquals((s.frameInds[0] - 1 + 4) % n + 1, s.frameInds[2]);
            assertTrue(s.frameInds[0] - 1 < Math.max(1, n - 8), "start " + s.frameInds[0]);
        }
    }

    @Test
    void badAnnotationLinesNameFileAndLine() throws Exception {
        TinyData.rawframes(root, new int[] {4}, 4, 4, 4);
        Path list = root.resolve("list.txt");
        LoadedConfig cfg = TinyData.config(root, TinyData.TRAIN_PIPELINE, "");
        String[][] cases = {
            {"vid0 4 0\nvid0 x 1\n", ":2: total_frames 'x' is not an integer"},
            {"vid0 4\n", ":1: expected 'frame_dir total_frames label'"},
            {"vid0 4 0 1\n", ":1: expected one label, got 2"},
            {"vid0 4 9\n", ":1: label 9 is outside [0, 4)"},
            {"\nvid0 0 1\n", ":2: total_frames must be positive"},
        };
        for (String[] c : cases) {
            Files.writeString(list, c[0]);
            SlowfastException e = assertThrows(SlowfastException.class, () -> ClipDataset.build(cfg, "train"));
            assertEquals(true, e.getMessage().startsWith(list + c[1]), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void missingFrameIsAOneLineErrorNamingTheFile() throws Exception {
        TinyData.rawframes(root, new int[] {6}, 4, 4, 4);
        Files.delete(root.resolve("rawframes/vid0/img_00003.png"));
        ClipDataset ds = ClipDataset.build(TinyData.config(root, TinyData.TEST_PIPELINE, ""), "test");
        SlowfastException e = assertThrows(SlowfastException.class, () -> ds.sample(0, 0, 0));
        assertEquals(true, e.getMessage().startsWith(root.resolve("rawframes/vid0/img_00003.png") + ": "),
                e.getMessage());
    }

    @Test
    void withOffsetAndTemplatesAndVideoLists() throws Exception {
        TinyData.rawframes(root, new int[] {8}, 4, 4, 4);
        Files.writeString(root.resolve("list.txt"), "vid0 2 3 1\n");
        String pipeline = "- {type: SampleFrames, clip_len: 3, frame_interval: 1, num_clips: 1, test_mode: true}\n"
                + "- {type: RawFrameDecode}\n- {type: FormatShape, input_format: NCTHW}";
        LoadedConfig cfg = TinyData.config(root, pipeline, "").load(root.resolve("cfg.yaml"),
                java.util.List.of("data.test.with_offset=True"));
        Sample s = ClipDataset.build(cfg, "test").sample(0, 0, 0);
        // indices 1, 2, 3 (start_index 1) read files img_{index + 2}
        assertArrayEquals(new int[] {1, 2, 3}, s.frameInds);
        assertEquals(3, s.decoded.get(0).rgb()[0]);
        Files.writeString(root.resolve("videos.txt"), "a.mp4 1\nb.mp4\n");
        LoadedConfig video = LoadedConfig.load(root.resolve("cfg.yaml"), java.util.List.of(
                "data.test.type=VideoDataset", "data.test.ann_file=" + root.resolve("videos.txt")));
        SlowfastException e = assertThrows(SlowfastException.class, () -> ClipDataset.build(video, "test"));
        assertEquals(root.resolve("videos.txt") + ":2: expected 'filename label': 'b.mp4'", e.getMessage());
    }

    @Test
    void videoDatasetDecodesTheSampledFramesWithStartIndexZero() throws Exception {
        Files.createDirectories(root.resolve("videos"));
        IndexedClip.write(root.resolve("videos/a.mp4"), 64, 48, 30, VideoWriter.Codec.H264, 12);
        Files.writeString(root.resolve("list.txt"), "a.mp4 2\n");
        String pipeline = String.join("\n",
                "- {type: DecordInit}",
                "- {type: SampleFrames, clip_len: 4, frame_interval: 3, num_clips: 2, test_mode: true}",
                "- {type: DecordDecode}",
                "- {type: FormatShape, input_format: NCTHW}");
        LoadedConfig cfg = LoadedConfig.load(TinyData.config(root, pipeline, "").file(), java.util.List.of(
                "data.test.type=VideoDataset", "data.test.data_prefix=" + root.resolve("videos")));
        Sample s = ClipDataset.build(cfg, "test").sample(0, 0, 0);
        assertEquals(30, s.totalFrames);
        // N = 30, L = 12, 2 clips: avg = 9.5, offsets int(4.75) = 4, int(14.25) = 14; start_index 0
        assertArrayEquals(new int[] {4, 7, 10, 13, 14, 17, 20, 23}, s.frameInds);
        for (int i = 0; i < 8; i++) {
            assertEquals(s.frameInds[i], IndexedClip.decode(s.decoded.get(i)));
        }
        assertArrayEquals(new long[] {2, 3, 4, 48, 64}, s.inputShape);
        Files.writeString(root.resolve("list.txt"), "missing.mp4 2\n");
        SlowfastException e = assertThrows(SlowfastException.class,
                () -> ClipDataset.build(cfg, "test").sample(0, 0, 0));
        assertEquals(root.resolve("videos/missing.mp4") + ": no such video file", e.getMessage());
    }
}
