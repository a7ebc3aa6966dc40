package org.slowfast.eval;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slowfast.SlowfastException;

/**
 * The test loop of MMAction2's {@code single_gpu_test}/{@code multi_gpu_test}: every batch of videos goes through one
 * model (one per device; devices take the next batch as they free up) and the scores come back in annotation order,
 * one row per video (one per view without averaging).
 */
public final class TestRunner {
    /** One batch: its first video's annotation index, {@code B×V×3×T×H×W} floats and that shape. */
    public record Batch(int first, float[] views, long[] shape) {
        public int size() {
            return Math.toIntExact(shape[0]);
        }
    }

    private TestRunner() {}

    /**
     * Runs every batch of {@code batches} (in annotation order, consumed once) through the models and returns the
     * score rows in annotation order. A progress bar with videos/s and ETA goes to stderr when it is a terminal.
     */
    public static float[][] run(List<InferenceModel> models, Iterator<Batch> batches, int numVideos) {
        List<float[][]> perBatch = new ArrayList<>();
        try (ProgressBar bar = progressBar(numVideos)) {
            if (models.size() == 1) {
                while (batches.hasNext()) {
                    Batch b = batches.next();
                    perBatch.add(models.get(0).predict(b.views(), b.shape()));
                    step(bar, b.size());
                }
            } else {
                runParallel(models, batches, perBatch, bar);
            }
        }
        List<float[]> rows = new ArrayList<>();
        perBatch.forEach(b -> rows.addAll(List.of(b)));
        return rows.toArray(float[][]::new);
    }

    private static void runParallel(List<InferenceModel> models, Iterator<Batch> batches, List<float[][]> perBatch,
            ProgressBar bar) {
        ExecutorService pool = Executors.newFixedThreadPool(models.size());
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (InferenceModel model : models) {
                workers.add(pool.submit(() -> {
                    while (true) {
                        Batch b;
                        int slot;
                        synchronized (batches) {
                            if (!batches.hasNext()) {
                                return null;
                            }
                            b = batches.next();
                            synchronized (perBatch) {
                                slot = perBatch.size();
                                perBatch.add(null);
                            }
                        }
                        float[][] scores = model.predict(b.views(), b.shape());
                        synchronized (perBatch) {
                            perBatch.set(slot, scores);
                            step(bar, b.size());
                        }
                    }
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
            pool.shutdownNow();
        }
    }

    private static ProgressBar progressBar(int numVideos) {
        if (System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("test").setInitialMax(numVideos).setUnit(" videos", 1)
                .showSpeed().setSpeedUnit(ChronoUnit.SECONDS).setStyle(ProgressBarStyle.ASCII).build();
    }

    private static void step(ProgressBar bar, int videos) {
        if (bar != null) {
            bar.stepBy(videos);
        }
    }
}
