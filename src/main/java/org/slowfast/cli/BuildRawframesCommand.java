package org.slowfast.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slowfast.SlowfastException;
import org.slowfast.runtime.Progress;
import org.slowfast.data.video.RawframeExtractor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
        if (level != 1 && level != 2) {
            throw new SlowfastException("--level must be 1 or 2, got " + level);
        }
        if (newShort < 0 || numWorkers < 1) {
            throw new SlowfastException("--new-short must be >= 0 and --num-workers >= 1");
        }
        if (!Files.isDirectory(src)) {
            throw new SlowfastException(src + ": no such directory");
        }
        List<Path> videos = findVideos();
        if (videos.isEmpty()) {
            throw new SlowfastException(src + ": no *." + ext + " videos at level " + level);
        }
        AtomicInteger extracted = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong frames = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(numWorkers);
        try (Progress progress = Progress.start("build-rawframes", videos.size(), "videos")) {
            List<Future<?>> jobs = new ArrayList<>();
            for (Path video : videos) {
                jobs.add(pool.submit(() -> {
                    Path frameDir = frameDirOf(video);
                    if (RawframeExtractor.isDone(frameDir)) {
                        skipped.incrementAndGet();
                        progress.step(1);
                        return;
                    }
                    try {
                        frames.addAndGet(RawframeExtractor.extract(video, frameDir, newShort));
                        extracted.incrementAndGet();
                    } catch (SlowfastException e) {
                        failed.incrementAndGet();
                        spec.commandLine().getErr().println("failed: " + e.getMessage());
                    }
                    progress.step(1);
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "%d videos: %d extracted (%d frames), %d already done, %d failed, in %.1f s%n",
                videos.size(), extracted.get(), frames.get(), skipped.get(), failed.get(),
                (System.nanoTime() - start) / 1e9);
        return failed.get() > 0 ? 1 : 0;
    }

    private List<Path> findVideos() {
        String suffix = "." + ext.toLowerCase(Locale.ROOT);
        try (Stream<Path> paths = Files.find(src, level, (p, attrs) -> attrs.isRegularFile()
                && src.relativize(p).getNameCount() == level
                && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix))) {
            return paths.sorted().toList();
        } catch (IOException e) {
            throw new SlowfastException(src + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** OUT_DIR/[CLASS/]VIDEO for SRC_DIR/[CLASS/]VIDEO.EXT. */
    private Path frameDirOf(Path video) {
        Path relative = src.relativize(video);
        String name = relative.getFileName().toString();
        String stem = name.substring(0, name.length() - ext.length() - 1);
        return out.resolve(relative).resolveSibling(stem);
    }
}
