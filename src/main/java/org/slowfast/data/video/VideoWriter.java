package org.slowfast.data.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.slowfast.SlowfastException;

/**
 * Encodes packed RGB24 frames into an MP4 file with JavaCV's {@link FFmpegFrameRecorder} (no ffmpeg tool needed).
 * The file is written under a temporary name and renamed on {@link #close()}.
 */
public final class VideoWriter implements AutoCloseable {
    static {
        av_log_set_level(AV_LOG_QUIET);
    }

    /** The encoders the bundled FFmpeg has. */
    public enum Codec {
        /** H.264 with Cisco's OpenH264 (the bundled FFmpeg has no libx264); no B-frames. */
        H264("libopenh264", 0),
        /** MPEG-4 part 2 with two B-frames between references: exercises decode/presentation reordering. */
        MPEG4_BFRAMES("mpeg4", 2);

        final String encoder;
        final int bFrames;

        Codec(String encoder, int bFrames) {
            this.encoder = encoder;
            this.bFrames = bFrames;
        }
    }

    private final Path target;
    private final Path temporary;
    private final int width;
    private final int height;
    private final FFmpegFrameRecorder recorder;
    private final ByteBuffer buffer;
    private boolean closed;

    /**
     * Starts an MP4 file of {@code width × height} frames at {@code fps}, with a keyframe every {@code gop} frames.
     */
    public VideoWriter(Path target, int width, int height, double fps, Codec codec, int gop) {
        this(target, width, height, fps, codec, gop, 1.0);
    }

    /**
     * As {@link #VideoWriter(Path, int, int, double, Codec, int)}, with the H.264 bitrate given in bits per pixel and
     * frame (at least 200 kbit/s); 1.0 is near-lossless for synthetic clips, about 0.2 matches x264's default
     * quality on natural video.
     */
    public VideoWriter(Path target, int width, int height, double fps, Codec codec, int gop, double bitsPerPixel) {
        this.target = target;
        this.width = width;
        this.height = height;
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            this.temporary = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new SlowfastException(target + ": cannot write: " + e.getMessage(), e);
        }
        recorder = new FFmpegFrameRecorder(temporary.toFile(), width, height, 0);
        recorder.setFormat("mp4");
        recorder.setOption("movflags", "+faststart");
        recorder.setVideoCodecName(codec.encoder);
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize(gop);
        if (codec == Codec.H264) {
            recorder.setVideoBitrate(Math.max(200_000, (int) (bitsPerPixel * width * height * fps)));
            recorder.setVideoOption("allow_skip_frames", "0");
        } else {
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setVideoQuality(3);
            recorder.setVideoOption("bf", Integer.toString(codec.bFrames));
        }
        buffer = ByteBuffer.allocateDirect(width * height * 3);
        try {
            recorder.start();
        } catch (IOException | RuntimeException e) {
            discard();
            throw new SlowfastException(target + ": cannot start the " + codec.encoder + " encoder: "
                    + e.getMessage(), e);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Appends one frame, {@code height × width × 3} RGB bytes. */
    public void write(byte[] rgb) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("frame has " + rgb.length + " bytes, expected " + width * height * 3);
        }
        buffer.clear();
        buffer.put(rgb).flip();
        try {
            recorder.recordImage(width, height, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3, width * 3,
                    AV_PIX_FMT_RGB24, buffer);
        } catch (IOException | RuntimeException e) {
            discard();
            throw new SlowfastException(target + ": encoding failed: " + e.getMessage(), e);
        }
    }

    /** Finishes the file and moves it to its name. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            recorder.stop();
            recorder.release();
            closed = true;
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            discard();
            throw new SlowfastException(target + ": cannot finish the video: " + e.getMessage(), e);
        }
    }

    /** Stops without writing the file (after a failure): the temporary file is removed. */
    public void discard() {
        closed = true;
        try {
            recorder.release();
        } catch (IOException | RuntimeException ignored) {
            // already failing; the temporary file is removed below
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // best effort: the temporary file is hidden
        }
    }
}
