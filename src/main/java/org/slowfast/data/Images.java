package org.slowfast.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slowfast.SlowfastException;
import org.slowfast.io.AtomicFiles;

/** JPEG/PNG files to and from {@link Frame}s (RGB, as mmcv.imfrombytes with channel_order 'rgb'). */
public final class Images {
    /** One JPEG reader per thread: looking one up for every frame costs about a quarter of a small frame's decode. */
    private static final ThreadLocal<ImageReader> JPEG = ThreadLocal.withInitial(
            () -> ImageIO.getImageReadersByFormatName("jpeg").next());

    private Images() {}

    /**
     * Decodes a JPEG or PNG file; grey frames become three equal channels and alpha is dropped. The file is read
     * into memory first: ImageIO's stream reading would cache every frame in a temporary file.
     */
    public static Frame read(Path file) {
        BufferedImage image;
        try {
            byte[] bytes = Files.readAllBytes(file);
            image = bytes.length > 2 && bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xD8 ? readJpeg(bytes)
                    : ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))); // closes it
        } catch (IOException | RuntimeException e) {
            throw new SlowfastException(file + ": cannot read the frame: " + oneLine(e));
        }
        if (image == null) {
            throw new SlowfastException(file + ": not a readable JPEG or PNG image");
        }
        return toFrame(image);
    }

    private static BufferedImage readJpeg(byte[] bytes) throws IOException {
        ImageReader reader = JPEG.get();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            return reader.read(0);
        } finally {
            reader.setInput(null);
        }
    }

    public static Frame toFrame(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                    int p = row[x];
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
        }
        return new Frame(w, h, rgb);
    }

    public static BufferedImage toImage(Frame frame) {
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = frame.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return image;
    }

    /** Writes a PNG through a temp file and a rename. */
    public static void writePng(BufferedImage image, Path file) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer");
            }
        });
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*\\R\\s*", " ");
    }
}
