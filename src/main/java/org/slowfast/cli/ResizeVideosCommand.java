package org.slowfast.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.data.video.VideoFiles;
import org.slowfast.data.video.VideoResizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slowfast resize-videos}: MMAction2's {@code tools/data/resize_videos.py} with the bundled FFmpeg. */
@Command(name = "resize-videos", mixinStandardHelpOptions = true,
        description = {"Re-encode every video under SRC_DIR to DST_DIR/[CLASS/]VIDEO.mp4 with the given short side"
                + " (the other side even, as FFmpeg's scale=-2:S), as resize_videos.py: H.264, no audio, the source"
                + " frame rate and every frame, so the frame count stays the same.",
            "Finished videos are skipped, so an interrupted run resumes. Each broken video is reported on one line;"
                + " the exit code is 1 if any failed."})
public final class ResizeVideosCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC_DIR", description = "Directory of videos.")
    Path src;

    @Parameters(index = "1", paramLabel = "DST_DIR", description = "Output directory.")
    Path out;

    @Option(names = {"--short-side", "--scale"}, paramLabel = "S",
            description = "Short side of the output, even (default: ${DEFAULT-VALUE}).")
    int shortSide = 256;

    @Option(names = "--ext", paramLabel = "EXT", description = "Video file extension (default: ${DEFAULT-VALUE}).")
    String ext = "mp4";

    @Option(names = "--level", paramLabel = "1|2",
            description = "1: SRC_DIR/VIDEO.EXT; 2: SRC_DIR/CLASS/VIDEO.EXT (default: ${DEFAULT-VALUE}).")
    int level = 2;

    @Option(names = "--dense", description = "A keyframe every 16 frames (faster random access), as resize_videos.py"
            + " --dense; else every 250, as libx264.")
    boolean dense;

    @Option(names = "--bits-per-pixel", paramLabel = "B",
            description = "H.264 bitrate in bits per pixel and frame (default: ${DEFAULT-VALUE}, close to x264's"
                    + " default quality at 1.3 to 2.5 times its size; the bundled encoder is OpenH264).")
    double bitsPerPixel = 0.25;

    @Option(names = {"--num-workers", "--num-worker"}, paramLabel = "N",
            description = "Videos resized in parallel (default: ${DEFAULT-VALUE}).")
    int numWorkers = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (shortSide < 2 || shortSide % 2 != 0) {
            throw new SlowfastException("--short-side must be a positive even number (H.264 4:2:0), got "
                    + shortSide);
        }
        if (!(bitsPerPixel > 0)) {
            throw new SlowfastException("--bits-per-pixel must be positive, got " + bitsPerPixel);
        }
        List<Path> videos = VideoFiles.find(src, level, ext);
        VideoFiles.createOutputDir(out);
        int gop = dense ? 16 : 250;
        return VideoJobs.run("resize-videos", videos, numWorkers, "resized", video -> {
            Path target = VideoFiles.mirror(src, video, out, ".mp4");
            return Files.isRegularFile(target) ? null
                    : VideoResizer.resize(video, target, shortSide, gop, bitsPerPixel);
        }, spec.commandLine().getErr());
    }
}
