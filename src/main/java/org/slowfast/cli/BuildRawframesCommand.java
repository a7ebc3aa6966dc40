package org.slowfast.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.data.video.RawframeExtractor;
import org.slowfast.data.video.VideoFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slowfast build-rawframes}: MMAction2's {@code tools/data/build_rawframes.py} (RGB frames, JavaCV). */
@Command(name = "build-rawframes", mixinStandardHelpOptions = true,
        description = {"Extract the frames of every video under SRC_DIR as OUT_DIR/[CLASS/]VIDEO/img_00001.jpg"
                + " (1-based, as build_rawframes.py --use-opencv --task rgb).",
            "Finished videos are skipped, so an interrupted run resumes. Each broken video is reported on one line;"
                + " the exit code is 1 if any failed."})
public final class BuildRawframesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC_DIR", description = "Directory of videos.")
    Path src;

    @Parameters(index = "1", paramLabel = "OUT_DIR", description = "Output directory of frame folders.")
    Path out;

    @Option(names = "--ext", paramLabel = "EXT", description = "Video file extension (default: ${DEFAULT-VALUE}).")
    String ext = "mp4";

    @Option(names = "--level", paramLabel = "1|2",
            description = "1: SRC_DIR/VIDEO.EXT; 2: SRC_DIR/CLASS/VIDEO.EXT (default: ${DEFAULT-VALUE}).")
    int level = 2;

    @Option(names = "--new-short", paramLabel = "N",
            description = "Resize so that the short side is N pixels, keeping the aspect ratio; 0 keeps the size"
                    + " (default: ${DEFAULT-VALUE}).")
    int newShort = 0;

    @Option(names = "--num-workers", paramLabel = "N", description = "Videos extracted in parallel (default: ${DEFAULT-VALUE}).")
    int numWorkers = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (newShort < 0) {
            throw new SlowfastException("--new-short must be >= 0, got " + newShort);
        }
        List<Path> videos = VideoFiles.find(src, level, ext);
        VideoFiles.createOutputDir(out);
        return VideoJobs.run("build-rawframes", videos, numWorkers, "extracted", video -> {
            Path frameDir = VideoFiles.mirror(src, video, out, "");
            return RawframeExtractor.isDone(frameDir) ? null : RawframeExtractor.extract(video, frameDir, newShort);
        }, spec.commandLine().getErr());
    }
}
