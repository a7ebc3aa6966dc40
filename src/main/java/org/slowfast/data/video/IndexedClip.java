package org.slowfast.data.video;

import java.nio.file.Path;
import org.slowfast.data.Frame;

/**
 * Test and benchmark clips whose frames carry their own index: the top half of each frame is a grid of
 * {@value #COLS}×{@value #ROWS} black/white blocks spelling the index in a Gray code (robust to lossy compression, and
 * one block changes per frame, so encoders see no scene cuts and keep their keyframe interval); the
 * bottom half is a moving texture, so that the encoder does real motion coding.
 */
public final class IndexedClip {
    public static final int COLS = 6;
    public static final int ROWS = 2;
    /** The largest index the blocks can spell. */
    public static final int MAX_INDEX = (1 << (COLS * ROWS)) - 1;

    private IndexedClip() {}

    /** Writes {@code frames} frames of {@code width × height} at 25 fps with a keyframe every {@code gop} frames. */
    public static void write(Path file, int width, int height, int frames, VideoWriter.Codec codec, int gop) {
        if (frames > MAX_INDEX + 1) {
            throw new IllegalArgumentException("at most " + (MAX_INDEX + 1) + " frames");
        }
        try (VideoWriter writer = new VideoWriter(file, width, height, 25, codec, gop)) {
            for (int i = 0; i < frames; i++) {
                writer.write(render(width, height, i));
            }
        }
    }

    /** The RGB frame with index {@code index}. */
    public static byte[] render(int width, int height, int index) {
        byte[] rgb = new byte[width * height * 3];
        int gray = index ^ (index >> 1);
        int band = height / 2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 3;
                if (y < band) {
                    int bit = bitAt(width, band, x, y);
                    byte v = bit >= 0 && ((gray >> bit) & 1) != 0 ? (byte) 255 : 0;
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                } else {
                    int u = x + 3 * index;
                    int w = y - band + index;
                    rgb[o] = (byte) (128 + 100 * Math.sin(u * 0.2));
                    rgb[o + 1] = (byte) (128 + 100 * Math.sin(w * 0.3));
                    rgb[o + 2] = (byte) ((u ^ w) & 0xff);
                }
            }
        }
        return rgb;
    }

    /** Reads the index spelled by a decoded frame: the mean of each block's centre against mid-grey. */
    public static int decode(Frame frame) {
        int width = frame.width();
        int band = frame.height() / 2;
        int bw = width / COLS;
        int bh = band / ROWS;
        int gray = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                long sum = 0;
                int n = 0;
                for (int y = r * bh + bh / 4; y < r * bh + bh - bh / 4; y++) {
                    for (int x = c * bw + bw / 4; x < c * bw + bw - bw / 4; x++) {
                        sum += frame.rgb()[(y * width + x) * 3 + 1] & 0xff;
                        n++;
                    }
                }
                if (sum > 128L * n) {
                    gray |= 1 << (r * COLS + c);
                }
            }
        }
        int index = 0;
        for (; gray != 0; gray >>= 1) {
            index ^= gray;
        }
        return index;
    }

    private static int bitAt(int width, int band, int x, int y) {
        int bw = width / COLS;
        int bh = band / ROWS;
        int c = x / bw;
        int r = y / bh;
        return c < COLS && r < ROWS ? r * COLS + c : -1;
    }
}
