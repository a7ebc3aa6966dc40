package org.slowfast.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slowfast.config.LoadedConfig;
import org.slowfast.runtime.Devices;
import org.slowfast.model.Recognizer3D;

/**
 * Training throughput (clips/s for forward, backward, clipping and the SGD update, i.e. one
 * {@link DataParallel#step}) and peak RSS of one config at one batch shape; the numbers in docs/benchmarks.md,
 * "Training". Not a unit test. Run one configuration per JVM (peak RSS is per process):
 * {@code java -Dai.djl.pytorch.num_threads=1 -cp target/classes:target/test-classes:$(cat cp.txt)
 * org.slowfast.train.TrainBenchmark CONFIG N T H W ITERATIONS} after
 * {@code mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    public static void main(String[] args) {
        Path config = Path.of(args[0]);
        long[] shape = {Long.parseLong(args[1]), 1, 3, Long.parseLong(args[2]), Long.parseLong(args[3]),
            Long.parseLong(args[4])};
        int iterations = Integer.parseInt(args[5]);
        Engine.getInstance();
        LoadedConfig cfg = LoadedConfig.load(config, List.of());
        float[] imgs = new float[Math.toIntExact(new Shape(shape).size())];
        Random r = new Random(0);
        for (int i = 0; i < imgs.length; i++) {
            imgs[i] = (float) r.nextGaussian();
        }
        int classes = cfg.config().model().clsHead().numClasses();
        int[] labels = new int[(int) shape[0]];
        Arrays.setAll(labels, i -> i % classes);
        try (DataParallel dp = new DataParallel(List.of(Device.cpu()), () -> Recognizer3D.build(cfg), 0,
                new Shape(1).addAll(new Shape(shape).slice(2)));
                TorchSgd opt = new TorchSgd(dp.main().model().namedParameters(), cfg.config().optimizer())) {
            dp.step(imgs, shape, labels, opt, 40.0, 2); // warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                dp.step(imgs, shape, labels, opt, 40.0, 2);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s batch %s, %d intra-op thread(s): %.3f s/iter, %.2f clips/s, peak RSS %.2f GB%n",
                    config.getFileName(), Arrays.toString(shape), JniUtils.getNumThreads(), seconds / iterations,
                    shape[0] * iterations / seconds, Devices.peakRssBytes() / 1e9);
        }
    }
}
