package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.data.Frame;
import org.slowfast.data.video.BundledFfmpeg;
import org.slowfast.data.video.FrameImages;
import org.slowfast.data.video.IndexedClip;
import org.slowfast.data.video.VideoWriter;

class BuildRawframesCommandTest {
    @TempDir Path dir;

    /** Reads a JPEG back as an RGB frame. */
    private static Frame readJpeg(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(image, 0, 0, null);
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[data.length];
        for (int i = 0; i < data.length; i += 3) {
            rgb[i] = data[i + 2];
            rgb[i + 1] = data[i + 1];
            rgb[i + 2] = data[i];
        }
        return new Frame(image.getWidth(), image.getHeight(), rgb);
    }

    private static List<String> names(Path frameDir) throws Exception {
        try (Stream<Path> files = Files.list(frameDir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void extractsEveryFrameOneBasedReportsBrokenVideosAndResumes() throws Exception {
        Path src = dir.resolve("src");
        IndexedClip.write(src.resolve("a/clip.mp4"), 64, 48, 30, VideoWriter.Codec.MPEG4_BFRAMES, 12);
        IndexedClip.write(src.resolve("b/other.mp4"), 64, 48, 5, VideoWriter.Codec.H264, 250);
        Files.writeString(src.resolve("b/broken.mp4"), "not a video\n");
        Files.writeString(src.resolve("b/notes.txt"), "ignored: not *.mp4\n");
        Path out = dir.resolve("out");

        CliRun r = CliRun.of("build-rawframes", src.toString(), out.toString(),
                "--num-workers", "2");
        assertEquals(1, r.code(), "a broken video makes the exit code non-zero");
        assertEquals("failed: " + src.resolve("b/broken.mp4") + ": cannot open as a video"
                + " (Invalid data found when processing input)", r.err().strip());
        assertTrue(r.out().startsWith("3 videos: 2 extracted (35 frames), 0 already done, 1 failed"), r.out());
        List<String> frames = names(out.resolve("a/clip"));
        assertEquals(30, frames.size());
        assertEquals("img_00001.jpg", frames.get(0));
        assertEquals("img_00030.jpg", frames.get(29));
        for (int i = 1; i <= 30; i++) {
            assertEquals(i - 1, IndexedClip.decode(readJpeg(out.resolve("a/clip").resolve(String.format("img_%05d.jpg", i)))));
        }
        assertEquals(List.of("clip"), names(out.resolve("a")));
        assertEquals(List.of("other"), names(out.resolve("b")), "no partial directory is left for the broken video");

        r = CliRun.of("build-rawframes", src.toString(), out.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("3 videos: 0 extracted (0 frames), 2 already done, 1 failed"), r.out());
    }

    @Test
    void levelOneAndNewShort() throws Exception {
        Path src = dir.resolve("flat");
        IndexedClip.write(src.resolve("v.mp4"), 64, 48, 3, VideoWriter.Codec.H264, 250);
        Path out = dir.resolve("small");
        CliRun r = CliRun.of("build-rawframes", src.toString(), out.toString(),
                "--level", "1", "--new-short", "24");
        assertEquals(0, r.code(), r.err());
        Frame first = readJpeg(out.resolve("v/img_00001.jpg"));
        assertEquals(32, first.width());
        assertEquals(24, first.height());
        assertFalse(Files.exists(out.resolve("v/img_00004.jpg")));
    }

    @Test
    void anUnusableOutputDirectoryIsOneErrorLine() throws Exception {
        Path src = dir.resolve("flat");
        IndexedClip.write(src.resolve("a/v.mp4"), 32, 24, 3, VideoWriter.Codec.H264, 250);
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRun r = CliRun.of("build-rawframes", src.toString(), file.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + file + ": cannot create the output directory: it exists and is not a directory\n",
                r.err());
        assertEquals("", r.out());
    }

    /**
     * At 340×256 and an odd width, with and without {@code --new-short}, each JPEG written is the one that FFmpeg's
     * own decode of that frame (the bundled ffmpeg: rgb24, or its bilinear scale filter) encodes to, byte for byte.
     */
    @Test
    void framesAreFfmpegsDecodeAtAnyWidth() throws Exception {
        Path src = dir.resolve("k400");
        BundledFfmpeg.encodeWidthEdgeCases(src);
        for (String newShort : List.of("0", "127")) {
            Path out = dir.resolve("frames_" + newShort);
            CliRun r = CliRun.of("build-rawframes", src.toString(), out.toString(), "--level", "1",
                    "--new-short", newShort);
            assertEquals(0, r.code(), r.err());
            for (String clip : List.of("h264", "mpeg4")) {
                Path video = src.resolve(clip + ".mp4");
                // Short side 127: 340x256 -> 340·127/256 = 168.7 -> 169 wide; 339x254 -> 169.5 -> 170 (mmcv rounds).
                int[] size = newShort.equals("0") ? (clip.equals("h264") ? new int[] {340, 256} : new int[] {339, 254})
                        : clip.equals("h264") ? new int[] {169, 127} : new int[] {170, 127};
                String filter = newShort.equals("0") ? null : "scale=" + size[0] + ":" + size[1] + ":flags=bilinear";
                List<Frame> reference = BundledFfmpeg.decodeRgb24(video, filter, size[0], size[1]);
                assertEquals(4, reference.size());
                for (int i = 0; i < reference.size(); i++) {
                    Path expected = dir.resolve("expected.jpg");
                    FrameImages.writeJpeg(reference.get(i), expected);
                    String name = FrameImages.rawframeName(i + 1);
                    assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(out.resolve(clip).resolve(name)),
                            clip + " --new-short " + newShort + " " + name);
                }
            }
        }
    }
}
