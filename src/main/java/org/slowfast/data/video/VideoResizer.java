package org.slowfast.data.video;

import java.nio.file.Path;

/**
 * Re-encodes a video with a given short side, as MMAction2's {@code tools/data/resize_videos.py} runs FFmpeg
 * ({@code -vf scale=-2:S} for landscape videos, {@code scale=S:-2} otherwise, {@code -an}): every decoded frame is
 * scaled (bicubic, as FFmpeg's scale filter) and written at the source frame rate to an H.264 MP4 without audio, so
 * the frame count stays the same. The output appears under its name only when complete.
 */
public final class VideoResizer {
    private VideoResizer() {}

    /** FFmpeg's {@code scale=-2:S} / {@code scale=S:-2}: the short side S, the other side rounded to an even number. */
    public static int[] outputSize(int width, int height, int shortSide) {
        if (width > height) {
            return new int[] {evenRescale(shortSide, width, height), shortSide};
        }
        return new int[] {shortSide, evenRescale(shortSide, height, width)};
    }

    /** {@code av_rescale(s, a, 2 b) * 2}: s·a/b rounded to the nearest multiple of 2 (halves away from zero). */
    private static int evenRescale(long s, long a, long b) {
        return (int) (((s * a + b) / (2 * b)) * 2);
    }

    /**
     * Writes {@code src} resized to {@code dst}; returns the number of frames. {@code gop} is the keyframe interval,
     * {@code bitsPerPixel} the H.264 bitrate per pixel and frame.
     */
    public static int resize(Path src, Path dst, int shortSide, int gop, double bitsPerPixel) {
        try (VideoFrameSource source = VideoFrameSource.open(src)) {
            int[] size = outputSize(source.width(), source.height(), shortSide);
            source.resize(size[0], size[1]);
            VideoWriter writer = new VideoWriter(dst, size[0], size[1], source.frameRate(), VideoWriter.Codec.H264,
                    gop, bitsPerPixel);
            try {
                source.readAll((index, frame) -> writer.write(frame.rgb()));
            } catch (RuntimeException e) {
                writer.discard(); // no half-written video under its name: a rerun redoes it
                throw e;
            }
            writer.close();
            return source.totalFrames();
        }
    }
}
