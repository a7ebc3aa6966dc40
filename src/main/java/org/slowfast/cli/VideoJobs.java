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
import java.util.function.IntConsumer;
import org.slowfast.SlowfastException;
import org.slowfast.runtime.Progress;

/**
 * One job per video file on a pool of workers under one progress display ({@link #forEach}: check-videos), and for
 * the resumable dataset tools (build-rawframes, resize-videos, {@link #run}): finished outputs are skipped, each
 * failure is one {@code failed: ...} line, and a summary line follows.
 */
final class VideoJobs {
    /** The work on one video: null when its output already exists, else the number of frames it wrote. */
    @FunctionalInterface
    interface Job {
        Integer run(Path video);
    }

    private VideoJobs() {}

    /** Fails unless {@code --num-workers} is at least 1. */
    static void checkWorkers(int workers) {
        if (workers < 1) {
            throw new SlowfastException("--num-workers must be >= 1, got " + workers);
        }
    }

    /** Runs {@code body} for 0 ≤ i < {@code count} on {@code workers} threads under one progress display. */
    static void forEach(String task, int count, int workers, IntConsumer body) throws InterruptedException {
        checkWorkers(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try (Progress progress = Progress.start(task, count, "videos")) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                jobs.add(pool.submit(() -> {
                    body.accept(index);
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
    }

    /** Runs the jobs with a progress display and prints "N videos: D VERB (F frames), S already done, X failed"; returns 1 if any failed. */
    static int run(String task, List<Path> videos, int workers, String verb, Job job, PrintWriter err)
            throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong frames = new AtomicLong();
        long start = System.nanoTime();
        forEach(task, videos.size(), workers, i -> {
            try {
                Integer written = job.run(videos.get(i));
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
        });
        System.out.printf(Locale.ROOT, "%d videos: %d %s (%d frames), %d already done, %d failed, in %.1f s%n",
                videos.size(), done.get(), verb, frames.get(), skipped.get(), failed.get(),
                (System.nanoTime() - start) / 1e9);
        return failed.get() > 0 ? 1 : 0;
    }
}
