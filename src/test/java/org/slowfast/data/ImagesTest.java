package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames read with the per-thread JPEG reader decode exactly as a fresh {@code ImageIO.read} does, and odd-width JPEGs
 * decode to OpenCV's pixels (what mmcv.imfrombytes gives MMAction2's RawFrameDecode).
 */
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

    /** Fixtures from tools/fixtures/make_jpeg_fixtures.py: JPEGs by cv2 and the ffmpeg tool, decoded by cv2 4.6. */
    @ParameterizedTest
    @ValueSource(strings = {"cv2_420_83x45", "ffmpeg_420_339x21", "ffmpeg_444_101x31"})
    void oddWidthJpegsDecodeToOpenCvsPixels(String name) throws Exception {
        Path jpeg = Path.of("src/test/resources/data/jpeg", name + ".jpg");
        String[] size = name.substring(name.lastIndexOf('_') + 1).split("x");
        Frame expected = new Frame(Integer.parseInt(size[0]), Integer.parseInt(size[1]),
                Files.readAllBytes(jpeg.resolveSibling(name + ".rgb")));
        FrameAssertions.assertSamePixels(List.of(expected), List.of(Images.read(jpeg)), name);
    }
}
