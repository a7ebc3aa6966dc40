package org.slowfast.eval;

import org.slowfast.data.BatchSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slowfast.SlowfastException;
import org.slowfast.data.BatchSource.Batch;

/**
 * The test loop of MMAction2's {@code single_gpu_test}/{@code multi_gpu_test}: every batch of videos goes through one
 * model (one per device; devices take the next batch as they free up) and the scores come back in annotation order,
 * one row per video (one per view without averaging), whatever order the batches finish in.
 */
public final class TestRunner {
    /** Per video (annotation index): its score rows (one, or one per view) and its label. */
    public record Scores(float[][][] rows, int[] labels) {
        /** All rows in annotation order. */
        public float[][] flat() {
            List<float[]> out = new ArrayList<>();
            for (float[][] r : rows) {
                out.addAll(List.of(r));
            }
            return out.toArray(float[][]::new);
        }
    }

    private TestRunner() {}

    /**
     * Runs every batch (consumed once, shared by the models) and files each video's scores and label under its
     * annotation index. Every one of the {@code numVideos} videos must come exactly once. A progress bar with
     * videos/s and ETA goes to stderr when it is a terminal.
     */
    public static Scores run(List<InferenceModel> models, Iterator<Batch> batches, int numVideos) {
        return run(models, batches, numVideos, java.util.stream.IntStream.range(0, numVideos).toArray(), true);
    }

    /**
     * {@link #run(List, Iterator, int)} of one rank's shard: only the videos {@code expected} come (the others stay
     * null); the progress bar only with {@code progress} (rank 0).
     */
    public static Scores run(List<InferenceModel> models, Iterator<Batch> batches, int numVideos, int[] expected,
            boolean progress) {
        Scores scores = new Scores(new float[numVideos][][], new int[numVideos]);
        try (ProgressBar bar = progress ? progressBar(expected.length) : null) {
            if (models.size() == 1) {
                while (batches.hasNext()) {
                    file(scores, batches.next(), models.get(0), bar);
                }
            } else {
                runParallel(models, batches, scores, bar);
            }
        }
        for (int i : expected) {
            if (scores.rows()[i] == null) {
                throw new IllegalStateException("the data loader skipped video " + i);
            }
        }
        return scores;
    }

    private static void file(Scores scores, Batch b, InferenceModel model, ProgressBar bar) {
        float[][] rows = model.predict(b.imgs(), b.shape());
        int perVideo = rows.length / b.indices().length;
        synchronized (scores) {
            for (int j = 0; j < b.indices().length; j++) {
                scores.rows()[b.indices()[j]] = Arrays.copyOfRange(rows, j * perVideo, (j + 1) * perVideo);
                scores.labels()[b.indices()[j]] = b.labels()[j];
            }
            if (bar != null) {
                bar.stepBy(b.indices().length);
            }
        }
    }

    private static void runParallel(List<InferenceModel> models, Iterator<Batch> batches, Scores scores,
            ProgressBar bar) {
        ExecutorService pool = Executors.newFixedThreadPool(models.size());
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (InferenceModel model : models) {
                workers.add(pool.submit(() -> {
                    while (!failed.get()) {
                        Batch b;
                        synchronized (batches) {
                            if (!batches.hasNext()) {
                                return null;
                            }
                            b = batches.next();
                        }
                        try {
                            file(scores, b, model, bar);
                        } catch (RuntimeException e) {
                            failed.set(true); // the other devices stop after their current batch
                            throw e;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new SlowfastException("testing failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlowfastException("testing interrupted");
        } finally {
            failed.set(true);
            pool.shutdown();
            try {
                // the caller closes the models next: no device may still be running one
                pool.awaitTermination(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ProgressBar progressBar(int numVideos) {
        if (System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("test").setInitialMax(numVideos).setUnit(" videos", 1)
                .showSpeed().setSpeedUnit(ChronoUnit.SECONDS).setStyle(ProgressBarStyle.ASCII).build();
    }
}
