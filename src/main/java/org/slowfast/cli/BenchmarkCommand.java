package org.slowfast.cli;

import org.slowfast.config.DatasetConfig;
import org.slowfast.data.BatchSource;
import ai.djl.Device;
import java.nio.file.Path;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.ClipLoader;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.runtime.Devices;
import org.slowfast.train.TrainBenchmark;
import org.slowfast.eval.InferenceModel;
import org.slowfast.eval.TestInputShape;
import org.slowfast.data.BatchSource.Batch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast benchmark}: inference speed in videos per second, as MMAction2's {@code tools/analysis/benchmark.py}:
 * batch 1 with all test views, the first {@code --warmup} videos excluded, the model forward (input copy, every
 * view, clip averaging, copy back) timed. Model-only runs on random input of the test shape; {@code --pipeline}
 * also times loading, decoding and transforming the test set's videos (one at a time in the timing thread).
 * {@code --train} times training iterations as {@code train} runs them ({@link TrainBenchmark}).
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure inference speed (video/s), or training speed with --train, and peak memory.")
public final class BenchmarkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CHECKPOINT",
            description = "Optional .pth to load (timing does not depend on the weights).")
    Path checkpoint;

    @Option(names = "--num-videos", defaultValue = "200", description = "Videos to run, warm-up included (default: ${DEFAULT-VALUE}).")
    int numVideos;

    @Option(names = "--warmup", defaultValue = "5", description = "Leading videos (--train: iterations) excluded from timing (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--log-interval", defaultValue = "10", description = "Print the running speed every N videos (default: ${DEFAULT-VALUE}).")
    int logInterval;

    @Option(names = "--pipeline",
            description = "Load each video of data.test through the test pipeline inside the timed region.")
    boolean pipeline;

    @Option(names = "--fuse-conv-bn", description = "Fold every BN into the conv before it (faster inference).")
    boolean fuseConvBn;

    @Option(names = "--gpu-id", description = "GPU to run on (default: the CPU when no GPU is available, else GPU 0).")
    Integer gpuId;

    @Option(names = "--train", description = "Time training iterations (forward, loss, backward, clip, SGD step) as"
            + " train runs them, on seeded random input of the train pipeline's shape.")
    boolean train;

    @Option(names = "--batch", paramLabel = "N",
            description = "--train: clips per iteration (default: the train split's videos_per_gpu).")
    Integer batch;

    @Option(names = "--shape", arity = "3", paramLabel = "T H W",
            description = "--train: clip length and size (default: from data.train.pipeline).")
    List<Integer> trainShape;

    @Option(names = "--iters", defaultValue = "10", description = "--train: timed iterations (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--json", description = "Print one JSON object with the results instead of text.")
    boolean json;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE", description = "Override config keys.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() {
        if (train) {
            return trainBenchmark();
        }
        if (numVideos <= warmup) {
            throw new SlowfastException("--num-videos (" + numVideos + ") must exceed --warmup (" + warmup + ")");
        }
        LoadedConfig cfg = LoadedConfig.load(config, cfgOptions);
        cfg.require("model", "data.test.pipeline");
        TestInputShape shape = TestInputShape.of(cfg.config().data().test().base().pipeline(), "data.test.pipeline");
        if (pipeline) {
            cfg.require("data.test.ann_file");
        }
        Device device = Devices.select(null, gpuId == null ? null : List.of(gpuId)).get(0);
        if (!json) {
            System.out.printf(Locale.ROOT, "benchmark: %s, input 1x%s, device %s, %d videos (%d warm-up), %s%n",
                    cfg.name(), shape, device, numVideos, warmup,
                    pipeline ? "decoding and transforms included" : "model only");
        }
        long peakDevice = -1;
        double elapsed = 0;
        try (InferenceModel model = InferenceModel.load(cfg, checkpoint, device, null);
                VideoInputs inputs = pipeline ? new TestSetInputs(cfg) : new RandomInputs(shape.batchShape(1))) {
            if (fuseConvBn) {
                int fused = model.fuseConvBn();
                if (!json) {
                    System.out.println("fused " + fused + " conv-BN pairs");
                }
            }
            for (int i = 0; i < numVideos; i++) {
                long start = System.nanoTime();
                Batch batch = inputs.next();
                model.predict(batch.imgs(), batch.shape());
                double seconds = (System.nanoTime() - start) / 1e9;
                peakDevice = Math.max(peakDevice, Devices.deviceMemoryUsed(device));
                if (i >= warmup) {
                    elapsed += seconds;
                    int timed = i + 1 - warmup;
                    if (!json && ((i + 1) % logInterval == 0 || i + 1 == numVideos)) {
                        System.out.printf(Locale.ROOT, "Done video [%d/ %d], fps: %.4f video / s%n", i + 1, numVideos,
                                timed / elapsed);
                    }
                }
            }
        }
        int timed = numVideos - warmup;
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mode", "inference");
            out.put("batch", 1);
            out.put("videos", timed);
            out.put("s_per_video", elapsed / timed);
            out.put("videos_per_s", timed / elapsed);
            out.put("threads", device.isGpu() ? 1 : CpuThreads.cores());
            out.put("peak_rss_gb", Devices.peakRssBytes() / 1e9);
            if (device.isGpu()) {
                out.put("peak_device_memory_gb", peakDevice / 1e9);
            }
            printJson(out);
            return 0;
        }
        System.out.printf(Locale.ROOT, "Overall fps: %.3f video / s (%.3f s / video over %d videos)%n",
                timed / elapsed, elapsed / timed, timed);
        if (device.isGpu()) {
            System.out.printf(Locale.ROOT, "Peak device memory: %d MiB%n", peakDevice >> 20);
        }
        System.out.printf(Locale.ROOT, "Peak RSS: %d MiB%n", Devices.peakRssBytes() >> 20);
        return 0;
    }

    private Integer trainBenchmark() {
        if (iters < 1 || warmup < 0) {
            throw new SlowfastException("--iters must be at least 1 and --warmup at least 0");
        }
        if (batch != null && batch < 1) {
            throw new SlowfastException("--batch must be at least 1, got " + batch);
        }
        LoadedConfig cfg = LoadedConfig.load(config, cfgOptions);
        cfg.require("model", "optimizer");
        if (trainShape != null && trainShape.stream().anyMatch(v -> v < 1)) {
            throw new SlowfastException("--shape values must be positive, got " + trainShape);
        }
        TestInputShape shape;
        if (trainShape != null) {
            shape = new TestInputShape(1, trainShape.get(0), trainShape.get(1), trainShape.get(2));
        } else {
            cfg.require("data.train");
            DatasetConfig train = cfg.config().data().train();
            String key = train.baseKey("data.train") + ".pipeline";
            cfg.require(key);
            TestInputShape p = TestInputShape.of(train.base().pipeline(), key);
            shape = new TestInputShape(1, p.clipLen(), p.height(), p.width());
        }
        int clips = batch != null ? batch : cfg.config().data().videosPerGpu("train");
        Device device = Devices.select(null, gpuId == null ? null : List.of(gpuId)).get(0);
        if (!json) {
            System.out.printf(Locale.ROOT, "benchmark --train: %s, input %dx%s, device %s, %d iterations (%d warm-up)%n",
                    cfg.name(), clips, shape, device, iters, warmup);
        }
        TrainBenchmark.Result r = TrainBenchmark.run(cfg, device, shape.batchShape(clips), warmup, iters);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mode", "train");
            out.put("batch", r.batch());
            out.put("s_per_iter", r.secondsPerIter());
            out.put("clips_per_s", r.clipsPerSecond());
            out.put("threads", r.threads());
            out.put("replicas", r.replicas());
            out.put("peak_rss_gb", r.peakRssBytes() / 1e9);
            printJson(out);
        } else {
            System.out.printf(Locale.ROOT, "%.4f s / iter, %.2f clips / s, %d threads, %d replicas, peak RSS %d MiB%n",
                    r.secondsPerIter(), r.clipsPerSecond(), r.threads(), r.replicas(), r.peakRssBytes() >> 20);
        }
        return 0;
    }

    private static void printJson(Map<String, Object> values) {
        try {
            System.out.println(new ObjectMapper().writeValueAsString(values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The input of one video per call, the loading time of which counts (or not) towards the timing. */
    private interface VideoInputs extends AutoCloseable {
        Batch next();

        @Override
        void close();
    }

    /** The same seeded random input of the test shape each time: no loading at all (model only). */
    private record RandomInputs(Batch batch) implements VideoInputs {
        RandomInputs(long[] shape) {
            this(new Batch(randomInput(shape), shape, new int[] {0}, new int[] {0}));
        }

        @Override
        public Batch next() {
            return batch;
        }

        @Override
        public void close() {}
    }

    /**
     * The test set's videos one at a time, through the test pipeline in the calling thread (no prefetching
     * workers), cycling when there are fewer videos than requested.
     */
    private static final class TestSetInputs implements VideoInputs {
        private final ClipLoader loader;
        private Iterator<Batch> batches;

        TestSetInputs(LoadedConfig cfg) {
            loader = new ClipLoader(ClipDataset.build(cfg, "test"), new ClipLoader.Options(1, 0, false, false, 0, 1, 0),
                    null);
        }

        @Override
        public Batch next() {
            if (batches == null || !batches.hasNext()) {
                batches = loader.epoch(0);
            }
            return batches.next();
        }

        @Override
        public void close() {
            loader.close();
        }
    }

    private static float[] randomInput(long[] shape) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        float[] values = new float[Math.toIntExact(size)];
        Random random = new Random(0);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
