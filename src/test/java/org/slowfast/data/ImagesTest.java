package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames read with the per-thread JPEG reader decode exactly as a fresh {@code ImageIO.read} does. */
class ImagesTest {
    @TempDir Path dir;

    private Path write(String name, int w, int h, int type, long seed) throws Exception {
        BufferedImage image = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(image, name.substring(name.lastIndexOf('.') + 1), file.toFile());
        return file;
    }

    @Test
    void jpegsInSequenceAndPngsMatchImageIo() throws Exception {
        Path[] files = {
            write("a.jpg", 64, 48, BufferedImage.TYPE_3BYTE_BGR, 1),
            write("grey.jpg", 17, 9, BufferedImage.TYPE_BYTE_GRAY, 2),
            write("b.jpg", 33, 70, BufferedImage.TYPE_3BYTE_BGR, 3),
            write("c.png", 20, 10, BufferedImage.TYPE_3BYTE_BGR, 4),
        };
        for (int round = 0; round < 2; round++) {
            for (Path file : files) {
                Frame expected = Images.toFrame(ImageIO.read(file.toFile()));
                Frame actual = Images.read(file);
                assertEquals(expected.width(), actual.width());
                assertEquals(expected.height(), actual.height());
                assertArrayEquals(expected.rgb(), actual.rgb(), file.toString());
            }
        }
    }
}
