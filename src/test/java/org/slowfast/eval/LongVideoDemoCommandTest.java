package org.slowfast.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.cli.CliRun;
import org.slowfast.data.Frame;
import org.slowfast.data.Images;
import org.slowfast.data.video.VideoFrameSource;
import org.slowfast.data.video.VideoWriter;

/**
 * {@code slowfast long-video-demo} on a 30-frame 96×64 clip with the tiny model and windows of 8 frames
 * (clip_len 8 × 1 clip, ThreeCrop): the windows fall where long_video_demo.py's queue puts them, a window scores as
 * {@code test} scores the same 8 frames, and the written video keeps the frames with the panel drawn in the top-left
 * corner.
 */
class LongVideoDemoCommandTest {
    static final int FRAMES = 30;
    static final int W = 96;
    static final int H = 64;
    static final String LABELS = "zero\none\ntwo\nthree\nfour\n";

    @TempDir Path dir;

    private static byte[] frame(int t) {
        byte[] rgb = new byte[W * H * 3];
        for (int y = 0, i = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                rgb[i++] = (byte) ((x * 6 + t * 9) % 256);
                rgb[i++] = (byte) ((y * 7 + t * 5) % 256);
                rgb[i++] = (byte) ((x + y) * 3 % 256);
            }
        }
        return rgb;
    }

    private Path setUp() throws Exception {
        Path video = dir.resolve("long.mp4");
        try (VideoWriter writer = new VideoWriter(video, W, H, 25, VideoWriter.Codec.H264, 10)) {
            for (int t = 0; t < FRAMES; t++) {
                writer.write(frame(t));
            }
        }
        Files.writeString(dir.resolve("labels.txt"), LABELS);
        return video;
    }

    /** A config whose test pipeline is SampleFrames(8, 1 clip), rawframes, short side 32 and ThreeCrop 32. */
    private Path config(String source) throws Exception {
        return Files.writeString(dir.resolve(source + ".yaml"), """
                _base_: [%s]
                data:
                  test:
                    ann_file: %s
                    data_prefix: %s
                    pipeline:
                      - {type: SampleFrames, clip_len: 8, frame_interval: 1, num_clips: 1, test_mode: true}
                      - {type: RawFrameDecode}
                      - {type: Resize, scale: [-1, 32]}
                      - {type: ThreeCrop, crop_size: 32}
                      - {type: Normalize, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], to_bgr: false}
                      - {type: FormatShape, input_format: NCTHW}
                      - {type: Collect, keys: [imgs, label], meta_keys: []}
                      - {type: ToTensor, keys: [imgs]}
                """.formatted(Path.of(TestCommandTest.CONFIG).toAbsolutePath(), dir.resolve("ann.txt"),
                dir.resolve("rawframes")));
    }

    @Test
    void windowsScoresAndVideo() throws Exception {
        Path video = setUp();
        Path cfg = config("demo");
        Path out = dir.resolve("out/annotated.mp4");
        CliRun r = CliRun.of("long-video-demo", cfg.toString(), TestCommandTest.CHECKPOINT, video.toString(),
                out.toString(), "--label-map", dir.resolve("labels.txt").toString(), "--stride", "0.5",
                "--top-k", "3", "--threshold", "0");
        assertEquals(0, r.code(), r.err());
        Path json = dir.resolve("out/annotated.json");
        assertEquals("6 windows predicted; wrote " + out + " and " + json + System.lineSeparator(), r.out());

        // window 8: frames 1-8 are predicted at frame 8, then 0.5 x 8 = 4 frames leave; 4 new frames fill it again
        JsonNode windows = new ObjectMapper().readTree(json.toFile()).get("windows");
        assertEquals(6, windows.size());
        for (int i = 0; i < 6; i++) {
            JsonNode w = windows.get(i);
            int end = 8 + 4 * i;
            assertEquals(end - 7, w.get("start_frame").asInt());
            assertEquals(end, w.get("end_frame").asInt());
            assertEquals(end, w.get("shown_from_frame").asInt());
            assertEquals(3, w.get("predictions").size());
        }

        // test on the first 8 decoded frames as a rawframe video scores them as the first window
        try (VideoFrameSource source = VideoFrameSource.open(video)) {
            List<Frame> frames = source.read(IntStream.range(0, 8).toArray());
            for (int t = 0; t < 8; t++) {
                Images.writePng(Images.toImage(frames.get(t)),
                        dir.resolve("rawframes/w0/img_%05d.png".formatted(t + 1)));
            }
        }
        Files.writeString(dir.resolve("ann.txt"), "w0 8 0\n");
        Path result = dir.resolve("r.json");
        CliRun test = CliRun.of("test", cfg.toString(), TestCommandTest.CHECKPOINT, "--out", result.toString());
        assertEquals(0, test.code(), test.err());
        double[] row = ResultsFile.read(result)[0];
        int[] best = Accuracy.topK(row, 3);
        List<String> names = LABELS.lines().toList();
        for (int k = 0; k < 3; k++) {
            JsonNode p = windows.get(0).get("predictions").get(k);
            assertEquals(best[k], p.get("class").asInt());
            assertEquals(names.get(best[k]), p.get("label").asText());
            assertEquals(row[best[k]], p.get("score").asDouble(), 1e-5);
        }

        try (VideoFrameSource written = VideoFrameSource.open(out)) {
            assertEquals(FRAMES, written.totalFrames());
            assertEquals(W, written.width());
            assertEquals(H, written.height());
            assertEquals(25.0, written.frameRate(), 1e-9);
            Frame last = written.read(new int[] {FRAMES - 1}).get(0);
            byte[] source = frame(FRAMES - 1);
            // the panel darkens the top-left corner; the bottom-right corner is the input frame (lossy codec)
            assertTrue(meanAbsDiff(last.rgb(), source, 0, 0, 8, 8) > 20);
            assertTrue(meanAbsDiff(last.rgb(), source, W - 6, H - 6, W, H) < 12);
        }
    }

    @Test
    void strideZeroPredictsAtEveryFrameOnceTheWindowIsFull() throws Exception {
        Path video = setUp();
        Path out = dir.resolve("a.mp4");
        Path json = dir.resolve("windows.json");
        CliRun r = CliRun.of("long-video-demo", config("demo").toString(), TestCommandTest.CHECKPOINT,
                video.toString(), out.toString(), "--out-json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode windows = new ObjectMapper().readTree(json.toFile()).get("windows");
        assertEquals(FRAMES - 8 + 1, windows.size());
        for (int i = 0; i < windows.size(); i++) {
            assertEquals(i + 1, windows.get(i).get("start_frame").asInt());
            assertEquals(i + 8, windows.get(i).get("end_frame").asInt());
            assertEquals(5, windows.get(i).get("predictions").size());
            assertEquals(Integer.toString(windows.get(i).get("predictions").get(0).get("class").asInt()),
                    windows.get(i).get("predictions").get(0).get("label").asText());
        }
    }

    @Test
    void scoresAreWrittenAsPythonsStrOfRound2() {
        assertEquals("0.88", PredictionOverlay.round2(0.875f));
        assertEquals("0.12", PredictionOverlay.round2(0.125f));
        assertEquals("0.5", PredictionOverlay.round2(0.5f));
        assertEquals("1.0", PredictionOverlay.round2(0.999f));
        assertEquals("0.0", PredictionOverlay.round2(0.001f));
    }

    private static double meanAbsDiff(byte[] a, byte[] b, int x0, int y0, int x1, int y1) {
        double sum = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int c = 0; c < 3; c++) {
                    int i = (y * W + x) * 3 + c;
                    sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                    n++;
                }
            }
        }
        return sum / n;
    }
}
