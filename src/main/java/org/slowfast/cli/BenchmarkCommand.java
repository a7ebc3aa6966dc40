package org.slowfast.cli;

import org.slowfast.data.BatchSource;
import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.ClipLoader;
import org.slowfast.runtime.Devices;
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
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure inference speed (video/s) and peak memory, as MMAction2's benchmark.py.")
public final class BenchmarkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CHECKPOINT",
            description = "Optional .pth to load (timing does not depend on the weights).")
    Path checkpoint;

    @Option(names = "--num-videos", defaultValue = "200", description = "Videos to run, warm-up included (default: ${DEFAULT-VALUE}).")
    int numVideos;

    @Option(names = "--warmup", defaultValue = "5", description = "Leading videos excluded from timing (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE", description = "Override config keys.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() {
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
        System.out.printf(Locale.ROOT, "benchmark: %s, input 1x%s, device %s, %d videos (%d warm-up), %s%n",
                cfg.name(), shape, device, numVideos, warmup,
                pipeline ? "decoding and transforms included" : "model only");
        long peakDevice = -1;
        double elapsed = 0;
        try (InferenceModel model = InferenceModel.load(cfg, checkpoint, device, null);
                VideoInputs inputs = pipeline ? new TestSetInputs(cfg) : new RandomInputs(shape.batchShape(1))) {
            if (fuseConvBn) {
                System.out.println("fused " + model.fuseConvBn() + " conv-BN pairs");
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
                    if ((i + 1) % logInterval == 0 || i + 1 == numVideos) {
                        System.out.printf(Locale.ROOT, "Done video [%d/ %d], fps: %.4f video / s%n", i + 1, numVideos,
                                timed / elapsed);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "Overall fps: %.3f video / s (%.3f s / video over %d videos)%n",
                (numVideos - warmup) / elapsed, elapsed / (numVideos - warmup), numVideos - warmup);
        if (device.isGpu()) {
            System.out.printf(Locale.ROOT, "Peak device memory: %d MiB%n", peakDevice >> 20);
        }
        System.out.printf(Locale.ROOT, "Peak RSS: %d MiB%n", Devices.peakRssBytes() >> 20);
        return 0;
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
