package org.slowfast.data.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.slowfast.SlowfastException;
import org.slowfast.data.Frame;

/** Writes frames as JPEG files for rawframe datasets ({@code img_00001.jpg}, 1-based as MMAction2's tools). */
public final class FrameImages {
    /** JPEG quality (0–1); high, so extracted frames stay close to the decoded ones. */
    public static final float JPEG_QUALITY = 0.95f;

    private FrameImages() {}

    /** MMAction2's rawframe name for the 1-based frame number {@code number}: {@code img_00001.jpg}. */
    public static String rawframeName(int number) {
        return String.format("img_%05d.jpg", number);
    }

    /** Writes {@code frame} as a JPEG to {@code file} (through a temporary file and a rename). */
    public static void writeJpeg(Frame frame, Path file) {
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = frame.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SlowfastException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
