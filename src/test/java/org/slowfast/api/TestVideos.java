package org.slowfast.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.slowfast.data.video.VideoWriter;

/** The tiny model of the eval tests and small MP4s of its rawframe fixtures, for the classifier and serving tests. */
public final class TestVideos {
    public static final Path CONFIG = Path.of("src/test/resources/eval/e2e.yaml");
    public static final Path CHECKPOINT = Path.of("src/test/resources/model/tiny_state.pth");
    private static final Path FRAMES = Path.of("src/test/resources/eval/e2e/rawframes");
    private static final int[] LENGTHS = {20, 6, 13, 9, 16, 11};

    private TestVideos() {}

    /** Rawframe video {@code k} (0-5, 40×32, 6-20 frames) as an H.264 MP4 {@code dir/vK.mp4}. */
    public static Path mp4(Path dir, int k) {
        return mp4(k, dir.resolve("v" + k + ".mp4"));
    }

    /** Rawframe video {@code k} as the H.264 MP4 {@code video}. */
    public static Path mp4(int k, Path video) {
        try (VideoWriter writer = new VideoWriter(video, 40, 32, 25, VideoWriter.Codec.H264, 10)) {
            for (int t = 1; t <= LENGTHS[k]; t++) {
                BufferedImage image = ImageIO.read(FRAMES.resolve("v" + k + "/img_%05d.png".formatted(t)).toFile());
                byte[] rgb = new byte[40 * 32 * 3];
                for (int y = 0, i = 0; y < 32; y++) {
                    for (int x = 0; x < 40; x++) {
                        int p = image.getRGB(x, y);
                        rgb[i++] = (byte) (p >> 16);
                        rgb[i++] = (byte) (p >> 8);
                        rgb[i++] = (byte) p;
                    }
                }
                writer.write(rgb);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return video;
    }

    /** The first half of a video file: its index (moov) or its frames are cut off. */
    public static byte[] truncated(Path video) throws IOException {
        byte[] all = Files.readAllBytes(video);
        return Arrays.copyOf(all, all.length / 2);
    }

    /** Deterministic noise bytes. */
    public static byte[] garbage(int n, long seed) {
        byte[] out = new byte[n];
        new Random(seed).nextBytes(out);
        return out;
    }
}
