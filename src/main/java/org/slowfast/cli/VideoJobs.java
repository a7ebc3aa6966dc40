package org.slowfast.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slowfast.SlowfastException;
import org.slowfast.runtime.Progress;

/**
 * One job per video file on a pool of workers, for the resumable dataset tools (build-rawframes, resize-videos):
 * finished outputs are skipped, each failure is one {@code failed: ...} line, a progress bar runs on a terminal, and
 * a summary line follows.
 */
final class VideoJobs {
    /** The work on one video: null when its output already exists, else the number of frames it wrote. */
    @FunctionalInterface
    interface Job {
        Integer run(Path video);
    }

    private VideoJobs() {}

    /** Runs the jobs with a progress display and prints "N videos: D VERB (F frames), S already done, X failed"; returns 1 if any failed. */
    static int run(String task, List<Path> videos, int workers, String verb, Job job, PrintWriter err)
            throws InterruptedException {
        if (workers < 1) {
            throw new SlowfastException("--num-workers must be >= 1, got " + workers);
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong frames = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try (Progress progress = Progress.start(task, videos.size(), "videos")) {
            List<Future<?>> jobs = new ArrayList<>();
            for (Path video : videos) {
                jobs.add(pool.submit(() -> {
                    try {
                        Integer written = job.run(video);
                        if (written == null) {
                            skipped.incrementAndGet();
                        } else {
                            frames.addAndGet(written);
                            done.incrementAndGet();
                        }
                    } catch (SlowfastException e) {
                        failed.incrementAndGet();
                        err.println("failed: " + e.getMessage());
                    }
                    progress.step(1);
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "%d videos: %d %s (%d frames), %d already done, %d failed, in %.1f s%n",
                videos.size(), done.get(), verb, frames.get(), skipped.get(), failed.get(),
                (System.nanoTime() - start) / 1e9);
        return failed.get() > 0 ? 1 : 0;
    }
}
