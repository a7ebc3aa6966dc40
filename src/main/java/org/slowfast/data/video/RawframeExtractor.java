package org.slowfast.data.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slowfast.SlowfastException;

/**
 * Extracts every frame of a video into a rawframe directory ({@code img_00001.jpg}, ...), as MMAction2's
 * {@code tools/data/build_rawframes.py --use-opencv --task rgb}. Frames go to a hidden {@code .NAME.partial} sibling
 * that is renamed to {@code NAME} when the video is complete, so an existing frame directory marks a finished video
 * and an interrupted run resumes past it.
 */
public final class RawframeExtractor {
    private RawframeExtractor() {}

    /** True when {@code frameDir} holds a completely extracted video. */
    public static boolean isDone(Path frameDir) {
        return Files.isDirectory(frameDir);
    }

    /**
     * Writes the frames of {@code video} to {@code frameDir}, resized to a short side of {@code newShort} when it is
     * positive; returns the number of frames.
     */
    public static int extract(Path video, Path frameDir, int newShort) {
        Path partial = frameDir.resolveSibling("." + frameDir.getFileName() + ".partial");
        try {
            deleteTree(partial);
            Files.createDirectories(partial);
        } catch (IOException | UncheckedIOException e) {
            throw new SlowfastException(partial + ": cannot create: " + e.getMessage(), e);
        }
        int total;
        try (VideoFrameSource source = VideoFrameSource.open(video).resizeShortSide(newShort)) {
            total = source.totalFrames();
            source.readAll((index, frame) ->
                    FrameImages.writeJpeg(frame, partial.resolve(FrameImages.rawframeName(index + 1))));
        } catch (RuntimeException e) {
            try {
                deleteTree(partial);
            } catch (IOException | UncheckedIOException ignored) {
                // the partial directory is hidden and is cleared on the next run
            }
            throw e;
        }
        try {
            Files.move(partial, frameDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SlowfastException(frameDir + ": cannot finish: " + e.getMessage(), e);
        }
        return total;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
