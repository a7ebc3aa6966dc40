package org.slowfast.eval;

import ai.djl.Device;
import java.nio.file.Path;
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
import java.util.stream.IntStream;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.ClipLoader;
import org.slowfast.model.AverageClips;
import org.slowfast.data.BatchSource.Batch;
import org.slowfast.runtime.Collective;
import org.slowfast.runtime.Progress;
import org.slowfast.runtime.ResultGather;

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

    /** What a model computes for one batch: its videos' rows (the same number per video), in batch order. */
    @FunctionalInterface
    public interface Forward {
        float[][] apply(InferenceModel model, Batch batch);
    }

    /** Receives each video's rows and label as its batch finishes; calls come one at a time. */
    @FunctionalInterface
    public interface Sink {
        void accept(int index, float[][] rows, int label);
    }

    private TestRunner() {}

    /** The gathered scores of a split: one row per view (or one averaged row) per video, in annotation order. */
    public record SplitScores(float[][] rows, ClipDataset dataset, int numClasses) {}

    /**
     * Scores every {@code data.test} video with {@code checkpoint}, as tools/test.py does: the models of
     * {@code devices} take whole batches of {@code videos_per_gpu}, each rank of {@code collective} scores its shard
     * (progress on rank 0), and the rows come together in annotation order on every rank (collect_results_cpu).
     */
    public static SplitScores scoreTestSplit(LoadedConfig cfg, Path checkpoint, List<Device> devices,
            AverageClips mode, boolean fuseConvBn, Collective collective) {
        List<InferenceModel> models = new ArrayList<>();
        Scores scores;
        ClipDataset dataset;
        try {
            for (Device device : devices) {
                models.add(InferenceModel.load(cfg, checkpoint, device, mode));
                if (fuseConvBn) {
                    models.get(models.size() - 1).fuseConvBn();
                }
            }
            try (ClipLoader loader = ClipLoader.forSplit(cfg, "test", 0, 1, null)
                    .shard(collective.rank(), collective.worldSize())) {
                dataset = loader.dataset();
                scores = run(models, loader.epoch(0), loader.size(), loader.order(0), collective.rank(),
                        collective.worldSize());
            }
        } finally {
            models.forEach(InferenceModel::close);
        }
        ResultGather.Results all = ResultGather.gather(collective, scores.rows(), scores.labels());
        return new SplitScores(new Scores(all.rows(), all.labels()).flat(), dataset, models.get(0).numClasses());
    }

    /**
     * Runs every batch (consumed once, shared by the models) and files each video's scores and label under its
     * annotation index. Every one of the {@code numVideos} videos must come exactly once. A progress bar with
     * videos/s and ETA goes to stderr (progress lines when it is not a terminal).
     */
    public static Scores run(List<InferenceModel> models, Iterator<Batch> batches, int numVideos) {
        return run(models, batches, numVideos, IntStream.range(0, numVideos).toArray(), 0, 1);
    }

    /**
     * {@link #run(List, Iterator, int)} of one rank's shard: only the videos {@code expected} come (the others stay
     * null); rank 0 shows the progress of all {@code worldSize} ranks.
     */
    public static Scores run(List<InferenceModel> models, Iterator<Batch> batches, int numVideos, int[] expected,
            int rank, int worldSize) {
        Scores scores = new Scores(new float[numVideos][][], new int[numVideos]);
        run(models, batches, numVideos, expected, Progress.ofShards("test", numVideos, "videos", rank, worldSize),
                (model, b) -> model.predict(b.imgs(), b.shape()),
                (index, rows, label) -> {
                    scores.rows()[index] = rows;
                    scores.labels()[index] = label;
                });
        return scores;
    }

    /** As {@link #run(List, Iterator, int)}, with any per-batch computation, handing each video to {@code sink}. */
    public static void run(List<InferenceModel> models, Iterator<Batch> batches, int numVideos, Forward forward,
            Sink sink) {
        run(models, batches, numVideos, IntStream.range(0, numVideos).toArray(),
                Progress.start("test", numVideos, "videos"), forward, sink);
    }

    private static void run(List<InferenceModel> models, Iterator<Batch> batches, int numVideos, int[] expected,
            Progress progress, Forward forward, Sink sink) {
        boolean[] seen = new boolean[numVideos];
        run(models, batches, progress, forward, (index, rows, label) -> {
            seen[index] = true;
            sink.accept(index, rows, label);
        });
        for (int i : expected) {
            if (!seen[i]) {
                throw new IllegalStateException("the data loader skipped video " + i);
            }
        }
    }

    /**
     * Runs every batch through the models (the next free one takes it) and hands each of its videos to {@code sink};
     * {@code progress} counts the videos and is closed at the end. Empty batches are skipped.
     */
    public static void run(List<InferenceModel> models, Iterator<Batch> batches, Progress progress, Forward forward,
            Sink sink) {
        try (Progress bar = progress) {
            if (models.size() == 1) {
                while (batches.hasNext()) {
                    file(sink, batches.next(), models.get(0), forward, bar);
                }
            } else {
                runParallel(models, batches, sink, forward, bar);
            }
        }
    }

    private static void file(Sink sink, Batch b, InferenceModel model, Forward forward, Progress bar) {
        if (b.indices().length == 0) {
            return;
        }
        float[][] rows = forward.apply(model, b);
        int perVideo = rows.length / b.indices().length;
        synchronized (sink) {
            for (int j = 0; j < b.indices().length; j++) {
                sink.accept(b.indices()[j], Arrays.copyOfRange(rows, j * perVideo, (j + 1) * perVideo),
                        b.labels()[j]);
            }
            bar.step(b.indices().length);
        }
    }

    private static void runParallel(List<InferenceModel> models, Iterator<Batch> batches, Sink sink, Forward forward,
            Progress bar) {
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
                            file(sink, b, model, forward, bar);
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
}
