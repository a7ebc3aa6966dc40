package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.data.Frame;
import org.slowfast.data.FrameAssertions;
import org.slowfast.data.video.BundledFfmpeg;
import org.slowfast.data.video.VideoFrameSource;
import org.slowfast.data.video.VideoWriter;

/** {@code slowfast resize-videos}: FFmpeg's scale=-2:S sizes, every frame kept in order, resumable. */
class ResizeVideosCommandTest {
    @TempDir Path dir;

    /** Frame t is a flat grey of 15·t, so a frame's value tells its position. */
    private static void writeVideo(Path file, int frames, int w, int h) {
        try (VideoWriter writer = new VideoWriter(file, w, h, 25, VideoWriter.Codec.H264, 4)) {
            for (int t = 0; t < frames; t++) {
                byte[] rgb = new byte[w * h * 3];
                java.util.Arrays.fill(rgb, (byte) (15 * t));
                writer.write(rgb);
            }
        }
    }

    private static double mean(Frame f) {
        long sum = 0;
        for (byte b : f.rgb()) {
            sum += b & 0xff;
        }
        return (double) sum / f.rgb().length;
    }

    @Test
    void resizesEveryFrameToTheShortSideAndResumes() throws Exception {
        Path src = dir.resolve("videos");
        writeVideo(src.resolve("a/wide.mp4"), 13, 40, 24);
        writeVideo(src.resolve("b/tall.mp4"), 9, 24, 36);
        Path dst = dir.resolve("videos_16");
        CliRun r = CliRun.of("resize-videos", src.toString(), dst.toString(), "--short-side", "16",
                "--num-workers", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("2 videos: 2 resized (22 frames), 0 already done, 0 failed"), r.out());
        // 40x24 -> 16 high, 40·16/24 = 26.7 -> the nearest even width of scale=-2:16 in halves: 2·round(13.3) = 26;
        // 24x36 -> 16 wide, 36·16/24 = 24
        check(dst.resolve("a/wide.mp4"), 13, 26, 16);
        check(dst.resolve("b/tall.mp4"), 9, 16, 24);

        CliRun again = CliRun.of("resize-videos", src.toString(), dst.toString(), "--short-side", "16");
        assertTrue(again.out().startsWith("2 videos: 0 resized (0 frames), 2 already done, 0 failed"), again.out());
    }

    private static void check(Path video, int frames, int w, int h) {
        try (VideoFrameSource source = VideoFrameSource.open(video)) {
            assertEquals(frames, source.totalFrames(), video.toString());
            assertEquals(w, source.width());
            assertEquals(h, source.height());
            assertEquals(25.0, source.frameRate(), 1e-9);
            List<Frame> all = source.read(IntStream.range(0, frames).toArray());
            for (int t = 0; t < frames; t++) {
                assertEquals(15 * t, mean(all.get(t)), 3, video + " frame " + t);
            }
        }
    }

    @Test
    void aBrokenVideoFailsAloneAndLeavesNoOutput() throws Exception {
        Path src = dir.resolve("videos");
        writeVideo(src.resolve("good.mp4"), 5, 32, 24);
        Files.write(src.resolve("broken.mp4"), new byte[] {1, 2, 3});
        Path dst = dir.resolve("out");
        CliRun r = CliRun.of("resize-videos", src.toString(), dst.toString(), "--level", "1", "--short-side", "16");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("failed: " + src.resolve("broken.mp4") + ": "), r.err());
        try (Stream<Path> files = Files.list(dst)) {
            assertEquals(List.of("good.mp4"), files.map(p -> p.getFileName().toString()).toList());
        }
        CliRun odd = CliRun.of("resize-videos", src.toString(), dst.toString(), "--short-side", "15");
        assertEquals(2, odd.code());
        assertTrue(odd.err().startsWith("error: --short-side must be a positive even number"), odd.err());
    }

    @Test
    void anUnusableOutputDirectoryIsOneErrorLine() throws Exception {
        Path src = dir.resolve("src");
        writeVideo(src.resolve("a/one.mp4"), 4, 32, 24);
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRun r = CliRun.of("resize-videos", src.toString(), file.toString(), "--short-side", "16");
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + file + ": cannot create the output directory: it exists and is not a directory\n",
                r.err());
        assertEquals("", r.out());
    }

    /**
     * A 340×256 clip resized to short side 254 (338 wide) and an odd-width one to 128: the frames handed to the
     * encoder are FFmpeg's bicubic scale of its own decode, so the output decodes exactly as those frames encoded
     * with the same encoder settings do.
     */
    @Test
    void encodesFfmpegsScaledFramesAtAnyWidth() throws Exception {
        Path src = dir.resolve("k400");
        BundledFfmpeg.encodeWidthEdgeCases(src);
        Path dst = dir.resolve("resized");
        for (String[] run : new String[][] {{"h264", "254", "338"}, {"mpeg4", "128", "170"}}) {
            CliRun r = CliRun.of("resize-videos", src.toString(), dst.resolve(run[1]).toString(), "--level", "1",
                    "--short-side", run[1]);
            assertEquals(0, r.code(), r.err());
            int w = Integer.parseInt(run[2]);
            int h = Integer.parseInt(run[1]);
            List<Frame> scaled = BundledFfmpeg.decodeRgb24(src.resolve(run[0] + ".mp4"),
                    "scale=" + w + ":" + h + ":flags=bicubic+accurate_rnd+full_chroma_int", w, h);
            Path expected = dir.resolve("expected_" + run[0] + ".mp4");
            try (VideoWriter writer = new VideoWriter(expected, w, h, 25, VideoWriter.Codec.H264, 250, 0.25)) {
                scaled.forEach(frame -> writer.write(frame.rgb()));
            }
            Path output = dst.resolve(run[1]).resolve(run[0] + ".mp4");
            FrameAssertions.assertSamePixels(BundledFfmpeg.decodeRgb24(expected, null, w, h),
                    BundledFfmpeg.decodeRgb24(output, null, w, h), output.toString());
        }
    }
}
