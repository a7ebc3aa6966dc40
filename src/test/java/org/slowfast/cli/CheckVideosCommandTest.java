package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.data.Frame;
import org.slowfast.data.Images;
import org.slowfast.data.video.VideoWriter;

/** {@code slowfast check-videos} on a split with a good, a missing, an undecodable and an incomplete video. */
class CheckVideosCommandTest {
    @TempDir Path dir;

    static void writeVideo(Path file, int frames, int w, int h) {
        try (VideoWriter writer = new VideoWriter(file, w, h, 25, VideoWriter.Codec.H264, 5)) {
            for (int t = 0; t < frames; t++) {
                byte[] rgb = new byte[w * h * 3];
                java.util.Arrays.fill(rgb, (byte) (t * 10));
                writer.write(rgb);
            }
        }
    }

    private Path config() throws Exception {
        Path videos = dir.resolve("videos");
        writeVideo(videos.resolve("a/good.mp4"), 12, 32, 24);
        Files.write(videos.resolve("a/garbage.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2, 3});
        Files.writeString(dir.resolve("videos.txt"), "a/good.mp4 0\na/missing.mp4 1\na/garbage.mp4 0\n");
        Path frames = dir.resolve("rawframes");
        for (String video : List.of("whole", "short")) {
            Files.createDirectories(frames.resolve(video));
            for (int f = 1; f <= (video.equals("whole") ? 6 : 5); f++) {
                Images.writePng(Images.toImage(new Frame(4, 4, new byte[48])),
                        frames.resolve(video).resolve("img_%05d.png".formatted(f)));
            }
        }
        Files.writeString(dir.resolve("frames.txt"), "whole 6 0\nshort 6 1\n");
        return Files.writeString(dir.resolve("cfg.yaml"), """
                model: {cls_head: {num_classes: 2}}
                data:
                  train:
                    type: VideoDataset
                    ann_file: %1$s/videos.txt
                    data_prefix: %1$s/videos
                    pipeline:
                      - {type: DecordInit}
                      - {type: SampleFrames, clip_len: 4, frame_interval: 2, num_clips: 1}
                      - {type: DecordDecode}
                      - {type: Resize, scale: [-1, 8]}
                  val:
                    type: RawframeDataset
                    ann_file: %1$s/frames.txt
                    data_prefix: %1$s/rawframes
                    filename_tmpl: 'img_{:05}.png'
                    pipeline:
                      - {type: SampleFrames, clip_len: 4, frame_interval: 2, num_clips: 1, test_mode: true}
                      - {type: RawFrameDecode}
                """.formatted(dir));
    }

    @Test
    void listsEachFailingVideoAsWrittenWithItsReason() throws Exception {
        Path cfg = config();
        Path out = dir.resolve("bad_videos.txt");
        CliRun r = CliRun.of("check-videos", cfg.toString(), "--num-workers", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("Checked 3 videos, 2 are corrupted/missing. Listed in " + out + "\n", r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("a/missing.mp4\tno such video file", lines.get(0));
        assertTrue(lines.get(1).startsWith("a/garbage.mp4\t") && lines.get(1).length() > "a/garbage.mp4\t".length(),
                lines.get(1));

        CliRun frames = CliRun.of("check-videos", cfg.toString(), "--split", "val", "--out", out.toString());
        assertEquals(0, frames.code(), frames.err());
        // the last frame of "short" (img_00006.png) is missing
        assertEquals(List.of("short\timg_00006.png"), Files.readAllLines(out).stream()
                .map(l -> l.substring(0, l.indexOf(':'))).toList());
    }

    @Test
    void removesTheFailingVideosAndTheStaleListWhenAllDecode() throws Exception {
        Path cfg = config();
        Path out = dir.resolve("bad.txt");
        CliRun r = CliRun.of("check-videos", cfg.toString(), "--out", out.toString(), "--remove-corrupted-videos");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().endsWith("Deleted 1 corrupted videos.\n"), r.out());
        assertFalse(Files.exists(dir.resolve("videos/a/garbage.mp4")));
        assertTrue(Files.exists(dir.resolve("videos/a/good.mp4")));

        Files.writeString(dir.resolve("videos.txt"), "a/good.mp4 0\n");
        CliRun clean = CliRun.of("check-videos", cfg.toString(), "--out", out.toString());
        assertEquals("Checked 1 videos, none are corrupted/missing\n", clean.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownSplitAndMissingDecodeStepAreOneLineErrors() throws Exception {
        Path cfg = config();
        CliRun split = CliRun.of("check-videos", cfg.toString(), "--split", "trian");
        assertEquals(2, split.code());
        assertEquals("error: unknown split 'trian' (train, val, test)\n", split.err());
        CliRun noDecode = CliRun.of("check-videos", cfg.toString(), "--cfg-options",
                "data.train.pipeline=[{type: DecordInit}]");
        assertEquals(2, noDecode.code());
        assertTrue(noDecode.err().startsWith("error: ") && noDecode.err().contains("data.train.pipeline: the pipeline"
                + " has no decode step"), noDecode.err());
    }

    @Test
    void unwritableOutIsAOneLineErrorBeforeChecking() throws Exception {
        Path cfg = config();
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        CliRun r = CliRun.of("check-videos", cfg.toString(), "--out", notADir.resolve("bad.txt").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + notADir.resolve("bad.txt") + ": cannot write: " + notADir
                + " exists and is not a directory\n", r.err());
        assertEquals("", r.out());
    }
}
