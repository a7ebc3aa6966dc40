package org.slowfast.data.video;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.slowfast.data.Frame;
import org.slowfast.data.Images;
import org.slowfast.io.AtomicFiles;

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
        BufferedImage image = Images.toImage(frame);
        AtomicFiles.write(file, out -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
        });
    }
}
