package org.slowfast.data.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bytedeco.javacpp.Loader;
import org.slowfast.data.Frame;

/**
 * The ffmpeg executable that ships inside the {@code org.bytedeco:ffmpeg} jar (extracted by JavaCPP's Loader): an
 * independent reference for tests, present wherever the tests run (no system FFmpeg needed).
 */
public final class BundledFfmpeg {
    private static String executable;

    private BundledFfmpeg() {}

    private static synchronized String executable() {
        if (executable == null) {
            executable = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        }
        return executable;
    }

    /** Runs {@code ffmpeg -nostdin -v error ARGS}; returns its standard output, failing on a non-zero exit. */
    public static byte[] run(String... args) {
        List<String> command = new ArrayList<>(List.of(executable(), "-nostdin", "-v", "error"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            byte[] stdout = readAll(process.getInputStream());
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ": "
                        + new String(stderr.join(), StandardCharsets.UTF_8));
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Encodes {@code frames} frames of a moving test pattern with per-pixel noise (so that every column differs
     * from its neighbours), cropped in RGB to {@code width × height} (odd sizes too), with the given encoder
     * arguments, e.g. {@code -c:v libopenh264 -b:v 3M}; MJPEG gets full-range YUV, the rest yuv420p.
     */
    public static void encodeTestPattern(Path file, int width, int height, int frames, List<String> codec) {
        String source = String.format("testsrc2=size=%dx%d:rate=25,format=rgb24,crop=%d:%d:0:0,noise=alls=40:allf=t",
                width + width % 2, height + height % 2, width, height);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", source, "-frames:v", Integer.toString(frames),
                "-pix_fmt", codec.contains("mjpeg") ? "yuvj420p" : "yuv420p"));
        args.addAll(codec);
        args.addAll(List.of("-y", file.toString()));
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(args.toArray(String[]::new));
    }

    /**
     * Writes {@code dir/h264.mp4}, 340×256 H.264 (Kinetics as resize_videos.py leaves it), and {@code dir/mpeg4.mp4},
     * 339×254 MPEG-4 with B-frames (an odd width), 4 frames of {@link #encodeTestPattern} each.
     */
    public static void encodeWidthEdgeCases(Path dir) {
        encodeTestPattern(dir.resolve("h264.mp4"), 340, 256, 4, List.of("-c:v", "libopenh264", "-b:v", "3M"));
        encodeTestPattern(dir.resolve("mpeg4.mp4"), 339, 254, 4, List.of("-c:v", "mpeg4", "-bf", "2"));
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every frame FFmpeg decodes from {@code video}, in output order, as packed RGB24 of {@code width × height}:
     * {@code ffmpeg -threads 1 -i VIDEO [-vf FILTER] -fps_mode passthrough -pix_fmt rgb24 -f rawvideo -}.
     * {@code filter} may be null.
     */
    public static List<Frame> decodeRgb24(Path video, String filter, int width, int height) {
        List<String> args = new ArrayList<>(List.of("-threads", "1", "-i", video.toString()));
        if (filter != null) {
            args.addAll(List.of("-vf", filter));
        }
        args.addAll(List.of("-fps_mode", "passthrough", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"));
        byte[] raw = run(args.toArray(String[]::new));
        int size = width * height * 3;
        if (raw.length % size != 0) {
            throw new IllegalStateException(video + ": " + raw.length + " bytes of rgb24 is not a whole number of "
                    + width + "x" + height + " frames");
        }
        List<Frame> frames = new ArrayList<>();
        for (int offset = 0; offset < raw.length; offset += size) {
            frames.add(new Frame(width, height, java.util.Arrays.copyOfRange(raw, offset, offset + size)));
        }
        return frames;
    }
}
