package org.slowfast.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.eval.Devices;
import org.slowfast.eval.InferenceModel;
import org.slowfast.eval.TestInputShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast benchmark}: inference speed in videos per second, as MMAction2's {@code tools/analysis/benchmark.py}:
 * batch 1 with all test views, the first {@code --warmup} videos excluded, the model forward (input copy, every
 * view, clip averaging, copy back) timed. Model-only runs on random input of the test shape; {@code --pipeline}
 * also times decoding and transforms of the test set's videos.
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
        TestInputShape shape = TestInputShape.of(cfg.config().data().test().pipeline(), "data.test.pipeline");
        Device device = Devices.select(null, gpuId == null ? null : List.of(gpuId)).get(0);
        System.out.printf(Locale.ROOT, "benchmark: %s, input 1x%s, device %s, %d videos (%d warm-up)%n",
                cfg.name(), shape, device, numVideos, warmup);
        long[] batchShape = shape.batchShape(1);
        float[] input = randomInput(batchShape);
        long peakDevice = -1;
        double elapsed = 0;
        try (InferenceModel model = InferenceModel.load(cfg, checkpoint, device, null)) {
            for (int i = 0; i < numVideos; i++) {
                long start = System.nanoTime();
                model.predict(input, batchShape);
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
