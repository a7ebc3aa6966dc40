package org.slowfast.data.video;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.slowfast.data.Frame;

/**
 * {@link VideoFrameSource} against the {@code ffmpeg} tool decoding the same frames to RGB24 (the decode floor), on
 * a generated 340×256, 300-frame H.264 clip with a keyframe every 250 frames (the numbers in docs/benchmarks.md,
 * "Video decoding"). Both decode on one thread. Reports wall time and CPU time (this thread's CPU time for Java;
 * {@code -benchmark}'s utime+stime and rtime for ffmpeg, which exclude the process start). Not a unit test. Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.slowfast.data.video.VideoDecodeBenchmark
 * [FFMPEG [CLIP]]} after {@code mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt}. With CLIP
 * (e.g. a real Kinetics video) the same is measured on that file, without the frame-index check.
 */
public final class VideoDecodeBenchmark {
    private static final int WIDTH = 340;
    private static final int HEIGHT = 256;
    private static final int GENERATED_FRAMES = 300;
    /** SlowFast R50 4x16 training: SampleFrames clip_len 32, frame_interval 2 (a 64-frame span). */
    private static final int CLIP_LEN = 32;
    private static final int INTERVAL = 2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** False for a given clip, whose frames do not spell their index. */
    private static boolean generated;
    private static double fps;

    private VideoDecodeBenchmark() {}

    /** Wall and CPU milliseconds. */
    private record Time(double wall, double cpu) {
        Time plus(Time o) {
            return new Time(wall + o.wall, cpu + o.cpu);
        }

        Time over(int n) {
            return new Time(wall / n, cpu / n);
        }

        String format(int frames) {
            return String.format(Locale.ROOT, "%.1f ms (%.0f frames/s) | %.1f ms (%.0f frames/s)",
                    wall, frames / wall * 1e3, cpu, frames / cpu * 1e3);
        }
    }

    public static void main(String[] args) throws Exception {
        String ffmpeg = args.length > 0 ? args[0] : "/usr/bin/ffmpeg";
        Path dir = Files.createTempDirectory("decode-bench");
        generated = args.length < 2;
        Path clip = generated ? dir.resolve("clip.mp4") : Path.of(args[1]);
        if (generated) {
            IndexedClip.write(clip, WIDTH, HEIGHT, GENERATED_FRAMES, VideoWriter.Codec.H264, 250);
        }
        final int frames;
        try (VideoFrameSource source = VideoFrameSource.open(clip)) {
            frames = source.totalFrames();
            fps = source.frameRate();
            System.out.printf(Locale.ROOT, "clip: %s, %d bytes, %dx%d, %d frames, keyframes %s%n", clip.getFileName(),
                    Files.size(clip), source.width(), source.height(), frames,
                    java.util.Arrays.toString(source.keyframeIndices()));
        }
        int[] all = IntStream.range(0, frames).toArray();
        Random random = new Random(0);
        List<int[]> clips = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int start = random.nextInt(frames - CLIP_LEN * INTERVAL + 1);
            clips.add(IntStream.range(0, CLIP_LEN).map(k -> start + k * INTERVAL).toArray());
        }
        for (int i = 0; i < 3; i++) { // warm-up: JIT, native libraries, page cache
            java(clip, all);
            ffmpeg(ffmpeg, clip, 0, frames);
        }

        int reps = 10;
        Time open = new Time(0, 0);
        Time allJava = new Time(0, 0);
        Time allFfmpeg = new Time(0, 0);
        for (int i = 0; i < reps; i++) {
            open = open.plus(java(clip, new int[0]));
            allJava = allJava.plus(java(clip, all));
            allFfmpeg = allFfmpeg.plus(ffmpeg(ffmpeg, clip, 0, frames));
        }
        Time clipJava = new Time(0, 0);
        Time clipFfmpeg = new Time(0, 0);
        for (int[] indices : clips) {
            clipJava = clipJava.plus(java(clip, indices));
            clipFfmpeg = clipFfmpeg.plus(ffmpeg(ffmpeg, clip, indices[0], CLIP_LEN * INTERVAL));
        }
        System.out.println();
        System.out.println("| task | decoder | wall time | CPU time |");
        System.out.println("|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| open + index pass (`totalFrames`) | VideoFrameSource | %.1f ms | %.1f ms |%n",
                open.over(reps).wall(), open.over(reps).cpu());
        System.out.printf("| all %d frames to RGB | VideoFrameSource (open included) | %s |%n", frames,
                allJava.over(reps).format(frames));
        System.out.printf("| all %d frames to RGB | ffmpeg (-benchmark) | %s |%n", frames,
                allFfmpeg.over(reps).format(frames));
        System.out.printf("| one train clip: %d frames every %d, random start | VideoFrameSource (open included) | %s |%n",
                CLIP_LEN, INTERVAL, clipJava.over(clips.size()).format(CLIP_LEN));
        System.out.printf("| one train clip: the %d-frame span (seek, decode, all %d to RGB) | ffmpeg (-benchmark) | %s |%n",
                CLIP_LEN * INTERVAL, CLIP_LEN * INTERVAL, clipFfmpeg.over(clips.size()).format(CLIP_LEN));
        if (generated) {
            Files.deleteIfExists(clip);
        }
        Files.deleteIfExists(dir);
    }

    /** Opens the clip and reads {@code indices}, checking that every frame is the right one. */
    private static Time java(Path clip, int[] indices) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        try (VideoFrameSource source = VideoFrameSource.open(clip)) {
            source.totalFrames();
            List<Frame> frames = source.read(indices);
            Time t = new Time((System.nanoTime() - wall) / 1e6, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6);
            for (int i = 0; i < indices.length && generated; i++) {
                if (IndexedClip.decode(frames.get(i)) != indices[i]) {
                    throw new IllegalStateException("frame " + indices[i] + " decoded as "
                            + IndexedClip.decode(frames.get(i)));
                }
            }
            return t;
        }
    }

    /**
     * ffmpeg: seek to the keyframe before {@code start} (input -ss), decode forward, emit {@code count} RGB frames;
     * returns {@code -benchmark}'s rtime and utime+stime, which exclude the process start.
     */
    private static Time ffmpeg(String ffmpeg, Path clip, int start, int count) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostats", "-benchmark", "-nostdin",
                "-threads", "1"));
        if (start > 0) {
            cmd.addAll(List.of("-ss", String.format(Locale.ROOT, "%.4f", start / fps)));
        }
        cmd.addAll(List.of("-i", clip.toString(), "-frames:v", Integer.toString(count), "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-y", "/dev/null"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + String.join(" ", cmd) + "\n" + output);
        }
        Matcher m = Pattern.compile("utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no -benchmark line in: " + output);
        }
        return new Time(Double.parseDouble(m.group(3)) * 1e3,
                (Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))) * 1e3);
    }
}
